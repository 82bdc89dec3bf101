// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_profile_load.c - the profile loader on small hand-written ISF and
 * Rekall documents (expected values written here, next to the JSON), on
 * xz made by liblzma's encoder, and on every truncation and many byte
 * flips of both: each must load or fail with -EINVAL/-E2BIG and a
 * message, never crash (run it under ASan too).
 */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <lzma.h>

#include "os/profile/profile.h"
#include "os/windows/offsets.h"

static const char isf[] =
"{\"metadata\": {\"format\": \"6.1.0\", \"producer\": {\"name\": \"volatility3\", \"version\": \"2.7.0\"},"
"  \"windows\": {\"pdb\": {\"GUID\": \"0123456789ABCDEF0123456789ABCDEF\", \"age\": 3, \"database\": \"ntkrnlmp.pdb\"}}},"
" \"base_types\": {}, \"enums\": {},"
" \"user_types\": {"
"  \"_EPROCESS\": {\"kind\": \"struct\", \"size\": 2624, \"fields\": {"
"    \"UniqueProcessId\": {\"offset\": 1088, \"type\": {\"kind\": \"pointer\"}},"
"    \"Flags2\": {\"offset\": 1120, \"type\": {\"kind\": \"base\", \"name\": \"unsigned long\"}},"
"    \"ExitProcessReported\": {\"offset\": 1120, \"type\": {\"kind\": \"bitfield\", \"bit_position\": 3, \"bit_length\": 1,"
"       \"type\": {\"kind\": \"base\", \"name\": \"unsigned long\"}}},"
"    \"u1\": {\"offset\": 16, \"anonymous\": true, \"type\": {\"kind\": \"union\", \"name\": \"unnamed_1\"}},"
"    \"Bad\": {\"offset\": \"16\"},"
"    \"Neg\": {\"offset\": -16},"
"    \"Huge\": {\"offset\": 9223372036854775807}}},"
"  \"unnamed_1\": {\"kind\": \"union\", \"size\": 64, \"fields\": {"
"    \"Inner\": {\"offset\": 8},"
"    \"s2\": {\"offset\": 32, \"anonymous\": true, \"type\": {\"kind\": \"struct\", \"name\": \"unnamed_2\"}}}},"
"  \"unnamed_2\": {\"kind\": \"struct\", \"size\": 16, \"fields\": {"
"    \"Deep\": {\"offset\": 4},"
"    \"loop\": {\"offset\": 0, \"anonymous\": true, \"type\": {\"kind\": \"union\", \"name\": \"unnamed_1\"}}}},"
"  \"Broken\": [1, 2]"
" },"
" \"symbols\": {"
"  \"PsInitialSystemProcess\": {\"address\": 13616160},"
"  \"init_task\": {\"address\": 18446744071600000000},"
"  \"NoAddr\": {\"type\": {}}}"
"}";

static const char rekall[] =
"{\"$METADATA\": {\"ProfileClass\": \"Ntkrnlmp\", \"Type\": \"Profile\","
"   \"GUID_AGE\": \"0123456789ABCDEF0123456789ABCDEF1A\", \"PDBFile\": \"ntkrnlmp.pdb\"},"
" \"$STRUCTS\": {"
"  \"_EPROCESS\": [2624, {"
"    \"UniqueProcessId\": [1088, [\"Pointer\", {\"target\": \"Void\"}]],"
"    \"ExitProcessReported\": [1120, [\"BitField\", {\"start_bit\": 3, \"end_bit\": 4, \"target\": \"unsigned long\"}]]}],"
"  \"_BAD\": {\"size\": 3}},"
" \"$CONSTANTS\": {\"PsInitialSystemProcess\": 13616160},"
" \"$FUNCTIONS\": {\"NtOpenProcess\": 7179920}}";

static struct vs_profile *load(const char *text)
{
	struct vs_profile *p = NULL;
	char err[256];
	int ret = vs_profile_load_mem(text, strlen(text), &p, err, sizeof(err));

	if (ret)
		g_error("load failed: %d %s", ret, err);
	return p;
}

static void test_isf(void)
{
	struct vs_profile *p = load(isf);
	const struct vs_profile_identity *id = vs_profile_identity(p);
	struct vs_profile_member m;
	uint64_t v;

	g_assert_cmpint(vs_profile_os(p), ==, VS_PROFILE_OS_WINDOWS);
	g_assert_cmpint(vs_profile_format(p), ==, VS_PROFILE_FORMAT_ISF);
	g_assert_cmpstr(id->pdb_guid, ==, "0123456789ABCDEF0123456789ABCDEF");
	g_assert_cmpint(id->age, ==, 3);
	g_assert_cmpstr(id->database, ==, "ntkrnlmp.pdb");
	g_assert_cmpstr(id->producer, ==, "volatility3 2.7.0");
	g_assert_cmpstr(id->format, ==, "6.1.0");
	g_assert_cmpint(vs_profile_struct_size(p, "_EPROCESS", &v), ==, 0);
	g_assert_cmpuint(v, ==, 2624);
	g_assert_cmpint(vs_profile_member_offset(p, "_EPROCESS", "UniqueProcessId", &v), ==, 0);
	g_assert_cmpuint(v, ==, 1088);
	g_assert_cmpint(vs_profile_member(p, "_EPROCESS", "ExitProcessReported", &m), ==, 0);
	g_assert_true(m.bitfield);
	g_assert_cmpuint(m.offset, ==, 1120);
	g_assert_cmpuint(m.bit_position, ==, 3);
	g_assert_cmpuint(m.bit_length, ==, 1);
	g_assert_cmpint(vs_profile_member(p, "_EPROCESS", "Flags2", &m), ==, 0);
	g_assert_false(m.bitfield);
	/* through anonymous members: 16 + 8, 16 + 32 + 4 */
	g_assert_cmpint(vs_profile_member_offset(p, "_EPROCESS", "Inner", &v), ==, 0);
	g_assert_cmpuint(v, ==, 24);
	g_assert_cmpint(vs_profile_member_offset(p, "_EPROCESS", "Deep", &v), ==, 0);
	g_assert_cmpuint(v, ==, 52);
	g_assert_cmpint(vs_profile_symbol(p, "PsInitialSystemProcess", &v), ==, 0);
	g_assert_cmpuint(v, ==, 13616160);
	g_assert_cmpint(vs_profile_symbol(p, "init_task", &v), ==, 0);
	g_assert_cmpuint(v, ==, 18446744071600000000ull);
	g_assert_true(vs_profile_has_struct(p, "_EPROCESS"));
	g_assert_false(vs_profile_has_struct(p, "_KPROCESS"));
	vs_profile_free(p);
}

static void expect_err(struct vs_profile *p, int ret, int want, const char *needle)
{
	g_assert_cmpint(ret, ==, want);
	if (!strstr(vs_profile_last_error(p), needle))
		g_error("message '%s' lacks '%s'", vs_profile_last_error(p), needle);
}

static void test_isf_errors(void)
{
	struct vs_profile *p = load(isf);
	uint64_t v;

	expect_err(p, vs_profile_member_offset(p, "_EPROCESS", "Nope", &v), -ENOENT,
		   "_EPROCESS.Nope: no such member");
	expect_err(p, vs_profile_member_offset(p, "_KPROCESS", "X", &v), -ENOENT,
		   "_KPROCESS.X: struct _KPROCESS is not in the profile");
	expect_err(p, vs_profile_struct_size(p, "_KPROCESS", &v), -ENOENT, "_KPROCESS");
	expect_err(p, vs_profile_symbol(p, "Nope", &v), -ENOENT, "symbol Nope is not in the profile");
	expect_err(p, vs_profile_member_offset(p, "_EPROCESS", "Bad", &v), -EINVAL,
		   "_EPROCESS.Bad.offset: expected an integer, found a string");
	expect_err(p, vs_profile_member_offset(p, "_EPROCESS", "Neg", &v), -EINVAL,
		   "-16 is negative");
	expect_err(p, vs_profile_member_offset(p, "_EPROCESS", "Huge", &v), -E2BIG,
		   "above the limit");
	expect_err(p, vs_profile_struct_size(p, "Broken", &v), -EINVAL,
		   "user_types.Broken: expected an object, found an array");
	expect_err(p, vs_profile_member_offset(p, "Broken", "x", &v), -EINVAL,
		   "user_types.Broken: no fields object");
	expect_err(p, vs_profile_symbol(p, "NoAddr", &v), -EINVAL,
		   "symbols.NoAddr.address: expected an integer address, found null");
	/* the unnamed_1 <-> unnamed_2 loop ends */
	expect_err(p, vs_profile_member_offset(p, "unnamed_1", "Nope", &v), -ENOENT, "Nope");
	vs_profile_free(p);
}

static void test_rekall(void)
{
	struct vs_profile *p = load(rekall);
	const struct vs_profile_identity *id = vs_profile_identity(p);
	struct vs_profile_member m;
	uint64_t v;

	g_assert_cmpint(vs_profile_format(p), ==, VS_PROFILE_FORMAT_REKALL);
	g_assert_cmpint(vs_profile_os(p), ==, VS_PROFILE_OS_WINDOWS);
	g_assert_cmpstr(id->pdb_guid, ==, "0123456789ABCDEF0123456789ABCDEF");
	g_assert_cmpint(id->age, ==, 0x1a);
	g_assert_cmpint(vs_profile_struct_size(p, "_EPROCESS", &v), ==, 0);
	g_assert_cmpuint(v, ==, 2624);
	g_assert_cmpint(vs_profile_member(p, "_EPROCESS", "ExitProcessReported", &m), ==, 0);
	g_assert_true(m.bitfield);
	g_assert_cmpuint(m.offset, ==, 1120);
	g_assert_cmpuint(m.bit_position, ==, 3);
	g_assert_cmpuint(m.bit_length, ==, 1);
	g_assert_cmpint(vs_profile_member_offset(p, "_EPROCESS", "UniqueProcessId", &v), ==, 0);
	g_assert_cmpuint(v, ==, 1088);
	g_assert_cmpint(vs_profile_symbol(p, "PsInitialSystemProcess", &v), ==, 0);
	g_assert_cmpuint(v, ==, 13616160);
	g_assert_cmpint(vs_profile_symbol(p, "NtOpenProcess", &v), ==, 0);
	g_assert_cmpuint(v, ==, 7179920);
	expect_err(p, vs_profile_struct_size(p, "_BAD", &v), -EINVAL,
		   "$STRUCTS._BAD: expected [size, {fields}], found an object");
	vs_profile_free(p);
}

static uint8_t *xz(const char *text, size_t *len)
{
	size_t cap = strlen(text) + 1024;
	uint8_t *out = g_malloc(cap);

	*len = 0;
	g_assert_cmpint(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)text,
						strlen(text), out, len, cap), ==, LZMA_OK);
	return out;
}

static int try_load(const void *buf, size_t len, char *err, size_t errlen)
{
	struct vs_profile *p = NULL;
	uint64_t v;
	int ret = vs_profile_load_mem(buf, len, &p, err, errlen);

	if (ret) {
		g_assert_null(p);
		g_assert_cmpuint(strlen(err), >, 0);
		return ret;
	}
	/* whatever loaded must answer lookups without crashing */
	vs_profile_struct_size(p, "_EPROCESS", &v);
	vs_profile_member_offset(p, "_EPROCESS", "Deep", &v);
	vs_profile_symbol(p, "init_task", &v);
	vs_profile_free(p);
	return 0;
}

static void test_xz_and_damage(void)
{
	size_t len, ok = 0;
	uint8_t *z = xz(isf, &len);
	char err[256];

	g_assert_cmpint(try_load(z, len, err, sizeof(err)), ==, 0);
	for (size_t cut = 0; cut < len; cut++) {
		int ret = try_load(z, cut, err, sizeof(err));

		g_assert_cmpint(ret, ==, -EINVAL);
	}
	for (size_t at = 0; at < len; at++) {
		for (unsigned bit = 0; bit < 8; bit += 3) {
			uint8_t *d = g_memdup2(z, len);

			d[at] ^= 1u << bit;
			ok += !try_load(d, len, err, sizeof(err));
			g_free(d);
		}
	}
	g_test_message("xz flips that still loaded: %zu", ok);
	g_free(z);
}

static void test_json_damage(void)
{
	size_t len = strlen(isf);
	char err[256];

	for (size_t cut = 0; cut < len; cut++)
		g_assert_cmpint(try_load(isf, cut, err, sizeof(err)), ==, -EINVAL);
	for (size_t at = 0; at < len; at += 7) {
		char *d = g_strdup(isf);

		d[at] = (char)(d[at] ^ 0x55);
		try_load(d, len, err, sizeof(err));
		g_free(d);
	}
	g_assert_cmpint(try_load("{\"user_types\": 5}", 17, err, sizeof(err)), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "user_types: expected an object, found an integer"));
}

static void test_windows_table_missing(void)
{
	struct vs_profile *p = load(isf);
	struct vs_win_offsets *w = g_new0(struct vs_win_offsets, 1);
	char err[256];

	g_assert_cmpint(vs_win_offsets_resolve(p, w, err, sizeof(err)), ==, -ENOENT);
	g_assert_nonnull(strstr(err, "required _EPROCESS.ActiveProcessLinks"));
	g_assert_true(w->found[VS_WINO_EPROCESS_PID]);
	g_assert_cmpuint(VS_WINO(w, VS_WINO_EPROCESS_PID), ==, 1088);
	g_assert_true(w->found[VS_WINO_EPROCESS_EXITREPORTED]);
	g_assert_cmpuint(w->m[VS_WINO_EPROCESS_EXITREPORTED].bit_position, ==, 3);
	g_assert_true(w->sym_found[VS_WINSYM_PSINITIALSYSTEMPROCESS]);
	g_assert_false(w->sym_found[VS_WINSYM_NTOPENPROCESS]);
	g_free(w);
	vs_profile_free(p);
}

static void test_load_file_errors(void)
{
	struct vs_profile *p = NULL;
	char err[256];

	g_assert_cmpint(vs_profile_load("/nonexistent/x.json", &p, err, sizeof(err)), ==, -ENOENT);
	g_assert_nonnull(strstr(err, "/nonexistent/x.json: No such file"));
	g_assert_cmpint(vs_profile_load("/", &p, err, sizeof(err)), ==, -EISDIR);
	g_assert_null(p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/profile/isf", test_isf);
	g_test_add_func("/profile/isf_errors", test_isf_errors);
	g_test_add_func("/profile/rekall", test_rekall);
	g_test_add_func("/profile/xz_damage", test_xz_and_damage);
	g_test_add_func("/profile/json_damage", test_json_damage);
	g_test_add_func("/profile/windows_table_missing", test_windows_table_missing);
	g_test_add_func("/profile/file_errors", test_load_file_errors);
	return g_test_run();
}
