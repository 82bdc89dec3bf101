// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_client_eintr.c - a signal during vs_gdb_wait() is never an error.
 *
 * `vmiscope attach` stops on SIGINT: the handler sets a flag and the run
 * loop, between waits for the next stop reply, sees it and detaches. A
 * SIGINT that interrupted poll() just as the wait ran out used to come
 * back as -EINTR, and attach ended with "gdbstub: Interrupted system
 * call" and exit 1 (seen once in ~25 sessions of bench/run's attach rows).
 * Here a fake stub answers the client's handshake and then stays silent;
 * a 300 µs interval timer interrupts thousands of 1 ms waits, so some
 * signal lands as a wait runs out, and every wait must say only "nothing
 * yet" (-EAGAIN).
 */
#include <errno.h>
#include <glib.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "backend/gdb/client.h"

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

/* Send one RSP packet "$body#cs". */
static void put_packet(int fd, const char *body)
{
	unsigned sum = 0;
	char buf[256];
	int n;

	for (const char *p = body; *p; p++)
		sum += (unsigned char)*p;
	n = snprintf(buf, sizeof(buf), "$%s#%02x", body, sum & 0xff);
	g_assert_cmpint(write(fd, buf, (size_t)n), ==, n);
}

/* The stub: ack every packet; qSupported and vCont? get real answers,
 * anything else the empty "unsupported" reply; then silence until the
 * client hangs up. */
static gpointer stub_main(gpointer data)
{
	int srv = GPOINTER_TO_INT(data), fd = accept(srv, NULL, NULL);
	char buf[4096], pkt[4096];
	size_t plen = 0;
	bool in = false;
	ssize_t n;

	g_assert_cmpint(fd, >=, 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			char ch = buf[i];

			if (ch == '$') {
				in = true;
				plen = 0;
			} else if (in && ch == '#') {
				in = false;
				pkt[plen] = '\0';
				g_assert_cmpint(write(fd, "+", 1), ==, 1);
				if (strncmp(pkt, "qSupported", 10) == 0)
					put_packet(fd, "PacketSize=1000");
				else if (strcmp(pkt, "vCont?") == 0)
					put_packet(fd, "vCont;c;C;s;S");
				else
					put_packet(fd, "");
			} else if (in && plen < sizeof(pkt) - 1) {
				pkt[plen++] = ch;
			}
		}
	}
	close(fd);
	return NULL;
}

static void test_signal_at_wait_end(void)
{
	char dir[] = "/tmp/vs-eintr-XXXXXX", spec[160], err[256] = "";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct itimerval it = { { 0, 300 }, { 0, 300 } }, off = { 0 };
	struct sigaction act = { .sa_handler = on_alarm };  /* no SA_RESTART */
	struct vs_gdb_conn *c = NULL;
	GThread *stub;
	sigset_t alrm;
	int srv, eagain = 0;

	g_assert_nonnull(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/gdb.sock", dir);
	snprintf(spec, sizeof(spec), "unix:%s", sa.sun_path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	g_assert_cmpint(bind(srv, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
	g_assert_cmpint(listen(srv, 1), ==, 0);
	/* The stub thread starts with SIGALRM blocked: the timer's signals
	 * must interrupt this thread's waits, not the stub's read(). */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	stub = g_thread_new("stub", stub_main, GINT_TO_POINTER(srv));
	pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
	g_assert_cmpint(vs_gdb_connect(spec, &c, err, sizeof(err)), ==, 0);

	sigaction(SIGALRM, &act, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < 3000; i++) {
		int rc = vs_gdb_wait(c, 1);

		if (rc != -EAGAIN)
			g_error("wait %d: %d (%s), not -EAGAIN", i, rc,
				strerror(-rc));
		eagain++;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	g_assert_cmpint(eagain, ==, 3000);
	g_assert_cmpint(ticks, >, 1000);    /* the signals did arrive */
	vs_gdb_close(c);
	g_thread_join(stub);
	close(srv);
	unlink(sa.sun_path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/gdb-client/signal-at-wait-end",
			test_signal_at_wait_end);
	return g_test_run();
}
