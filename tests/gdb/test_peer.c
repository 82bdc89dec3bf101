// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_peer.c - peer.c tells how the QEMU behind a gdbstub socket ended.
 *
 * A copy of this test binary named "qemu-fake-stub" plays QEMU: it
 * listens on a unix socket, accepts the client, and on a go byte is
 * killed by SIGKILL, exits with a status, or closes the connection and
 * runs on. The client side notes the peer at connect, reads to EOF as
 * `vmiscope attach` would, and must get the fate the child really had
 * (the parent reaps it only afterwards, and then the answer must turn to
 * "unknown"). A peer that is not a QEMU
 * (this binary under its own name) is not noted. The /proc/PID/stat
 * parser is also fed a comm full of ") (" and cut lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/gdb/peer.h"

static char dir[] = "/tmp/vs-peer-XXXXXX";
static char stub_exe[256];

/* The fake QEMU: argv = { exe, "--stub", socket, MODE }, MODE one of
 * kill, exit3, exit0, close (hang up, then wait to be killed). */
static int stub_main(const char *path, const char *mode)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int srv = socket(AF_UNIX, SOCK_STREAM, 0), fd;
	char go;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 89;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (bind(srv, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(srv, 1) < 0)
		return 90;
	fd = accept(srv, NULL, NULL);
	if (fd < 0 || read(fd, &go, 1) != 1)
		return 91;
	if (strcmp(mode, "kill") == 0)
		raise(SIGKILL);
	if (strcmp(mode, "close") == 0) {
		close(fd);
		for (;;)
			pause();
	}
	return strcmp(mode, "exit3") == 0 ? 3 : 0;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (int i = 0; i < 500; i++) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		g_usleep(10000);
	}
	g_error("cannot connect to the fake stub at %s", path);
}

/* Run the fake QEMU in @mode; return the fate seen at EOF in *code. */
static enum vs_gdb_fate fate_of(const char *mode, int *code, int *status)
{
	char path[300];
	struct vs_gdb_peer peer;
	enum vs_gdb_fate fate;
	char buf[16];
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.sock", dir, mode);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		execl(stub_exe, stub_exe, "--stub", path, mode, (char *)NULL);
		_exit(92);
	}
	fd = connect_to(path);
	vs_gdb_peer_note(fd, &peer);
	g_assert_cmpint(peer.pid, ==, pid);
	g_assert_cmpint(write(fd, "g", 1), ==, 1);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	fate = vs_gdb_peer_fate(&peer, 500, code);
	if (strcmp(mode, "close") == 0)
		kill(pid, SIGTERM);
	/* Reaped, the process cannot be asked any more. */
	g_assert_cmpint(waitpid(pid, status, 0), ==, pid);
	g_assert_cmpint(vs_gdb_peer_fate(&peer, 0, &(int){0}), ==,
			VS_GDB_FATE_UNKNOWN);
	close(fd);
	unlink(path);
	return fate;
}

static void test_killed(void)
{
	int code = -1, status;

	g_assert_cmpint(fate_of("kill", &code, &status), ==,
			VS_GDB_FATE_KILLED);
	g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	g_assert_cmpint(code, ==, SIGKILL);
}

static void test_exited(void)
{
	int code = -1, status;

	g_assert_cmpint(fate_of("exit3", &code, &status), ==,
			VS_GDB_FATE_EXITED);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	g_assert_cmpint(code, ==, 3);
	code = -1;
	g_assert_cmpint(fate_of("exit0", &code, &status), ==,
			VS_GDB_FATE_EXITED);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_assert_cmpint(code, ==, 0);
}

/* A QEMU that hangs up and runs on is alive, not ended. */
static void test_alive(void)
{
	int code = -1, status;

	g_assert_cmpint(fate_of("close", &code, &status), ==,
			VS_GDB_FATE_ALIVE);
	g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

/* A peer whose executable is not named qemu* is never asked. */
static void test_not_qemu(void)
{
	struct vs_gdb_peer peer = { .pid = 1 };
	int sv[2], code;

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
	vs_gdb_peer_note(sv[0], &peer);
	g_assert_cmpint(peer.pid, ==, 0);
	g_assert_cmpint(vs_gdb_peer_fate(&peer, 0, &code), ==,
			VS_GDB_FATE_UNKNOWN);
	close(sv[0]);
	close(sv[1]);
}

static void test_parse(void)
{
	/* 52 fields; comm "a) (b c)" holds the traps. */
	GString *s = g_string_new("123 (a) (b c)) Z");
	struct vs_proc_stat st = { 0 };

	for (int f = 4; f <= 52; f++)
		g_string_append_printf(s, " %d", f == 9 ? 0x404044 :
				       f == 22 ? 777 : f == 52 ? 0x100 * 5 : f);
	g_string_append_c(s, '\n');
	g_assert_cmpint(vs_gdb_proc_stat_parse(s->str, s->len, &st), ==, 0);
	g_assert_cmpint(st.state, ==, 'Z');
	g_assert_cmphex(st.flags, ==, 0x404044);
	g_assert_cmpuint(st.start, ==, 777);
	g_assert_cmpint(st.exit_code, ==, 0x500);
	/* Cut before exit_code (a kernel older than 3.5): no answer. */
	g_assert_cmpint(vs_gdb_proc_stat_parse(s->str, 60, &st), ==, -EINVAL);
	/* No comm end, an empty line. */
	g_assert_cmpint(vs_gdb_proc_stat_parse("123 (abc Z 1", 12, &st), ==,
			-EINVAL);
	g_assert_cmpint(vs_gdb_proc_stat_parse("", 0, &st), ==, -EINVAL);
	/* An exit code no wait status can be. */
	g_string_truncate(s, (gsize)(strrchr(s->str, ' ') - s->str));
	g_string_append(s, " 70000\n");
	g_assert_cmpint(vs_gdb_proc_stat_parse(s->str, s->len, &st), ==,
			-EINVAL);
	g_string_free(s, TRUE);
}

/* The fake QEMU is this binary under a qemu* name. */
static void make_stub_exe(void)
{
	gchar *self = NULL;
	gsize len = 0;

	g_assert_nonnull(mkdtemp(dir));
	snprintf(stub_exe, sizeof(stub_exe), "%s/qemu-fake-stub", dir);
	g_assert_true(g_file_get_contents("/proc/self/exe", &self, &len,
					  NULL));
	g_assert_true(g_file_set_contents(stub_exe, self, (gssize)len, NULL));
	g_assert_cmpint(chmod(stub_exe, 0755), ==, 0);
	g_free(self);
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 4 && strcmp(argv[1], "--stub") == 0)
		return stub_main(argv[2], argv[3]);
	g_test_init(&argc, &argv, NULL);
	make_stub_exe();
	g_test_add_func("/gdb-peer/parse", test_parse);
	g_test_add_func("/gdb-peer/not-qemu", test_not_qemu);
	g_test_add_func("/gdb-peer/killed", test_killed);
	g_test_add_func("/gdb-peer/exited", test_exited);
	g_test_add_func("/gdb-peer/alive", test_alive);
	ret = g_test_run();
	unlink(stub_exe);
	rmdir(dir);
	return ret;
}
