// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load.c - turn a profile file into a parsed JSON tree: read it (bounded),
 * decompress xz (found by its magic bytes), reject what would make the JSON
 * parser misbehave (NUL bytes, absurd nesting), parse with json-glib, then
 * recognise the dialect (ISF or Rekall), the OS and the identity (PDB GUID
 * and age, Linux banner). Lookups are in lookup.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <lzma.h>

#include "common/readfile.h"
#include "os/profile/profile_priv.h"

/* Memory liblzma may use for its dictionary (xz -9 needs 65 MiB). */
#define XZ_MEMLIMIT (256u << 20)
/* Longest Linux banner kept (the kernel's is about 200 bytes). */
#define BANNER_MAX 512

static const unsigned char xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static const char *xz_error(lzma_ret r)
{
	switch (r) {
	case LZMA_FORMAT_ERROR:
		return "xz data has no valid stream header";
	case LZMA_OPTIONS_ERROR:
		return "xz data uses unsupported options";
	case LZMA_DATA_ERROR:
		return "xz data is corrupt";
	case LZMA_BUF_ERROR:
		return "xz data is truncated";
	case LZMA_MEM_ERROR:
		return "out of memory while decompressing";
	default:
		return "xz decoder failed";
	}
}

/* Decompress the xz stream(s) in @in; *@out is g_free'd by the caller. */
static int unxz(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen,
		char *err, size_t errlen)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t cap = MIN(MAX(len * 12, (size_t)1 << 16), VS_PROFILE_MAX_BYTES);
	uint8_t *buf = g_try_malloc(cap), *nbuf;
	lzma_ret r;
	int ret = 0;

	if (!buf || lzma_stream_decoder(&s, XZ_MEMLIMIT, LZMA_CONCATENATED))
		return g_free(buf), fail(err, errlen, -ENOMEM, "out of memory");
	s.next_in = in;
	s.avail_in = len;
	s.next_out = buf;
	s.avail_out = cap;
	for (;;) {
		r = lzma_code(&s, LZMA_FINISH);
		if (r == LZMA_STREAM_END)
			break;
		if (r == LZMA_MEMLIMIT_ERROR) {
			ret = fail(err, errlen, -E2BIG, "xz data needs more than %u MiB of memory to decompress",
				   XZ_MEMLIMIT >> 20);
			break;
		}
		if (r != LZMA_OK) {
			ret = fail(err, errlen, r == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL,
				   "%s (after %zu of %zu compressed bytes)",
				   xz_error(r), len - s.avail_in, len);
			break;
		}
		if (s.avail_out)
			continue;
		if (cap >= VS_PROFILE_MAX_BYTES) {
			ret = fail(err, errlen, -E2BIG, "xz data decompresses to more than %u MiB",
				   VS_PROFILE_MAX_BYTES >> 20);
			break;
		}
		cap = MIN(cap * 2, (size_t)VS_PROFILE_MAX_BYTES);
		nbuf = g_try_realloc(buf, cap);
		if (!nbuf) {
			ret = fail(err, errlen, -ENOMEM, "out of memory");
			break;
		}
		buf = nbuf;
		s.next_out = buf + s.total_out;
		s.avail_out = cap - s.total_out;
	}
	*outlen = s.total_out;
	lzma_end(&s);
	if (ret)
		g_free(buf);
	else
		*out = buf;
	return ret;
}

/*
 * json-glib parses recursively and stops at a NUL: refuse both before it
 * sees them, naming the byte offset.
 */
static int prescan(const char *s, size_t len, char *err, size_t errlen)
{
	bool in_str = false, esc = false;
	unsigned depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\0')
			return fail(err, errlen, -EINVAL, "NUL byte at offset %zu: not JSON", i);
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > VS_PROFILE_MAX_DEPTH)
				return fail(err, errlen, -EINVAL, "JSON nested deeper than %d levels at offset %zu",
					    VS_PROFILE_MAX_DEPTH, i);
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return 0;
}

const char *vs_profile_node_kind(JsonNode *n)
{
	GType t;

	if (!n || JSON_NODE_HOLDS_NULL(n))
		return "null";
	if (JSON_NODE_HOLDS_OBJECT(n))
		return "an object";
	if (JSON_NODE_HOLDS_ARRAY(n))
		return "an array";
	t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64)
		return "an integer";
	if (t == G_TYPE_DOUBLE)
		return "a floating-point number";
	if (t == G_TYPE_BOOLEAN)
		return "a boolean";
	return "a string";
}

JsonObject *vs_profile_get_object(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

/* Keep @s until vs_profile_free() (the slots outnumber the identity strings). */
static char *own(struct vs_profile *p, char *s)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(p->owned); i++) {
		if (!p->owned[i]) {
			p->owned[i] = s;
			return s;
		}
	}
	g_free(s);
	return NULL;
}

const char *vs_profile_get_string(JsonObject *o, const char *key,
				  const char *def)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING ?
		json_node_get_string(n) : def;
}

/*
 * Optional member @key of @o must be an object if present (@where names
 * @o in messages); *@out is NULL when absent.
 */
static int opt_object(JsonObject *o, const char *key, const char *where,
		      JsonObject **out, char *err, size_t errlen)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	*out = NULL;
	if (!n)
		return 0;
	if (!JSON_NODE_HOLDS_OBJECT(n))
		return fail(err, errlen, -EINVAL, "%s%s: expected an object, found %s",
			    where, key, vs_profile_node_kind(n));
	*out = json_node_get_object(n);
	return 0;
}

/* Optional string member: copied into the profile's owned strings. */
static int opt_string(struct vs_profile *p, JsonObject *o, const char *key,
		      const char *where, const char **out, char *err,
		      size_t errlen)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	if (!n)
		return 0;
	if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
		return fail(err, errlen, -EINVAL, "%s%s: expected a string, found %s",
			    where, key, vs_profile_node_kind(n));
	*out = own(p, g_strndup(json_node_get_string(n), BANNER_MAX));
	return 0;
}

/* Linux: the banner is the base64 constant_data of symbol linux_banner. */
static void linux_banner(struct vs_profile *p)
{
	JsonObject *sym = vs_profile_get_object(p->symbols, "linux_banner");
	const char *b64 = vs_profile_get_string(sym, "constant_data", NULL);
	guchar *raw;
	gsize rawlen;
	char *banner, **words;

	if (!b64 || strlen(b64) > 4 * BANNER_MAX)
		return;
	raw = g_base64_decode(b64, &rawlen);
	banner = g_strndup((char *)raw, MIN(rawlen, (gsize)BANNER_MAX));
	g_free(raw);
	banner[strcspn(banner, "\n")] = '\0';
	p->id.banner = own(p, banner);
	words = g_strsplit(banner, " ", 4);
	if (g_strv_length(words) >= 3 && !strcmp(words[0], "Linux") &&
	    !strcmp(words[1], "version"))
		p->id.version = own(p, g_strdup(words[2]));
	g_strfreev(words);
}

static int isf_identity(struct vs_profile *p, JsonObject *root, char *err,
			size_t errlen)
{
	JsonObject *meta, *win = NULL, *pdb = NULL, *lin = NULL, *prod = NULL;
	const char *pname = NULL, *pver = NULL;
	JsonNode *age;
	int ret;

	if ((ret = opt_object(root, "metadata", "", &meta, err, errlen)) ||
	    (ret = opt_object(meta, "windows", "metadata.", &win, err, errlen)) ||
	    (ret = opt_object(win, "pdb", "metadata.windows.", &pdb, err, errlen)) ||
	    (ret = opt_object(meta, "linux", "metadata.", &lin, err, errlen)) ||
	    (ret = opt_object(meta, "producer", "metadata.", &prod, err, errlen)) ||
	    (ret = opt_string(p, meta, "format", "metadata.", &p->id.format, err, errlen)) ||
	    (ret = opt_string(p, pdb, "GUID", "metadata.windows.pdb.", &p->id.pdb_guid, err, errlen)) ||
	    (ret = opt_string(p, pdb, "database", "metadata.windows.pdb.", &p->id.database, err, errlen)))
		return ret;
	pname = vs_profile_get_string(prod, "name", NULL);
	pver = vs_profile_get_string(prod, "version", NULL);
	if (pname || pver) {
		char *s = g_strjoin(" ", pname ? pname : "?", pver ? pver : "?", NULL);

		p->id.producer = own(p, g_strndup(s, BANNER_MAX));
		g_free(s);
	}
	age = pdb ? json_object_get_member(pdb, "age") : NULL;
	if (age && (!JSON_NODE_HOLDS_VALUE(age) || json_node_get_value_type(age) != G_TYPE_INT64 ||
		    json_node_get_int(age) < 0 || json_node_get_int(age) > UINT32_MAX))
		return fail(err, errlen, -EINVAL, "metadata.windows.pdb.age: expected an integer 0..2^32-1, found %s",
			    vs_profile_node_kind(age));
	if (age)
		p->id.age = json_node_get_int(age);
	if (win)
		p->os = VS_PROFILE_OS_WINDOWS;
	else if (lin)
		p->os = VS_PROFILE_OS_LINUX;
	return 0;
}

/* Rekall: GUID_AGE is the GUID's 32 hex digits followed by the age in hex. */
static int rekall_identity(struct vs_profile *p, JsonObject *root, char *err,
			   size_t errlen)
{
	JsonObject *meta;
	const char *cls = NULL, *guid_age = NULL;
	int ret;

	if ((ret = opt_object(root, "$METADATA", "", &meta, err, errlen)) ||
	    (ret = opt_string(p, meta, "ProfileClass", "$METADATA.", &cls, err, errlen)) ||
	    (ret = opt_string(p, meta, "GUID_AGE", "$METADATA.", &guid_age, err, errlen)) ||
	    (ret = opt_string(p, meta, "PDBFile", "$METADATA.", &p->id.database, err, errlen)))
		return ret;
	if (cls && g_str_has_prefix(cls, "Linux"))
		p->os = VS_PROFILE_OS_LINUX;
	else if (cls && (g_str_has_prefix(cls, "Nt") || g_str_has_prefix(cls, "Win")))
		p->os = VS_PROFILE_OS_WINDOWS;
	if (guid_age && strlen(guid_age) > 32 && strlen(guid_age) <= 40 &&
	    strspn(guid_age, "0123456789abcdefABCDEF") == strlen(guid_age)) {
		p->id.pdb_guid = own(p, g_strndup(guid_age, 32));
		p->id.age = (int64_t)g_ascii_strtoull(guid_age + 32, NULL, 16);
	} else if (guid_age) {
		return fail(err, errlen, -EINVAL, "$METADATA.GUID_AGE: expected 32 hex digits of GUID and the age in hex");
	}
	return 0;
}

/* No metadata naming the OS: judge by what the profile defines. */
static void guess_os(struct vs_profile *p)
{
	static const char *const win[] = { "PsInitialSystemProcess", "_EPROCESS" };
	static const char *const lin[] = { "init_task", "task_struct" };

	for (unsigned i = 0; i < 2 && p->os == VS_PROFILE_OS_UNKNOWN; i++) {
		JsonObject *o = i ? p->types : p->symbols;

		if (o && json_object_has_member(o, win[i]))
			p->os = VS_PROFILE_OS_WINDOWS;
		else if (o && json_object_has_member(o, lin[i]))
			p->os = VS_PROFILE_OS_LINUX;
	}
}

static int recognise(struct vs_profile *p, JsonObject *root, char *err,
		     size_t errlen)
{
	int ret;

	if (json_object_has_member(root, "user_types")) {
		p->format = VS_PROFILE_FORMAT_ISF;
		if ((ret = opt_object(root, "user_types", "", &p->types, err, errlen)) ||
		    (ret = opt_object(root, "symbols", "", &p->symbols, err, errlen)) ||
		    (ret = isf_identity(p, root, err, errlen)))
			return ret;
		if (p->os == VS_PROFILE_OS_LINUX || !p->os)
			linux_banner(p);
	} else if (json_object_has_member(root, "$STRUCTS")) {
		p->format = VS_PROFILE_FORMAT_REKALL;
		if ((ret = opt_object(root, "$STRUCTS", "", &p->types, err, errlen)) ||
		    (ret = opt_object(root, "$CONSTANTS", "", &p->symbols, err, errlen)) ||
		    (ret = opt_object(root, "$FUNCTIONS", "", &p->functions, err, errlen)) ||
		    (ret = rekall_identity(p, root, err, errlen)))
			return ret;
	} else {
		return fail(err, errlen, -EINVAL,
			    "neither a Volatility ISF (no \"user_types\") nor a Rekall profile (no \"$STRUCTS\")");
	}
	guess_os(p);
	return 0;
}

static int parse(const char *text, size_t len, struct vs_profile **out,
		 char *err, size_t errlen)
{
	struct vs_profile *p = g_new0(struct vs_profile, 1);
	GError *gerr = NULL;
	JsonNode *root;
	int ret;

	p->id.age = -1;
	p->parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(p->parser, text, (gssize)len, &gerr)) {
		ret = fail(err, errlen, -EINVAL, "invalid JSON: %s", gerr->message);
		g_error_free(gerr);
		goto out;
	}
	root = json_parser_get_root(p->parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		ret = fail(err, errlen, -EINVAL, "top level is %s, expected an object",
			   vs_profile_node_kind(root));
		goto out;
	}
	ret = recognise(p, json_node_get_object(root), err, errlen);
out:
	if (ret)
		vs_profile_free(p);
	else
		*out = p;
	return ret;
}

int vs_profile_load_mem(const void *buf, size_t len, struct vs_profile **out,
			char *err, size_t errlen)
{
	const uint8_t *b = buf;
	uint8_t *plain = NULL;
	size_t plainlen = 0;
	int ret;

	*out = NULL;
	if (len > VS_PROFILE_MAX_BYTES)
		return fail(err, errlen, -E2BIG, "larger than %u MiB", VS_PROFILE_MAX_BYTES >> 20);
	if (len >= sizeof(xz_magic) && !memcmp(b, xz_magic, sizeof(xz_magic))) {
		ret = unxz(b, len, &plain, &plainlen, err, errlen);
		if (ret)
			return ret;
		b = plain;
		len = plainlen;
	} else if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		return fail(err, errlen, -EINVAL, "gzip-compressed: only xz or plain JSON is read (gunzip it)");
	} else if (len >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4)) {
		return fail(err, errlen, -EINVAL, "zstd-compressed: only xz or plain JSON is read (unzstd it)");
	} else if (len >= 3 && !memcmp(b, "BZh", 3)) {
		return fail(err, errlen, -EINVAL, "bzip2-compressed: only xz or plain JSON is read (bunzip2 it)");
	}
	if (len >= 3 && !memcmp(b, "\xef\xbb\xbf", 3)) { /* UTF-8 byte order mark */
		b += 3;
		len -= 3;
	}
	if (!len)
		ret = fail(err, errlen, -EINVAL, "empty: not JSON");
	else
		ret = prescan((const char *)b, len, err, errlen);
	if (!ret)
		ret = parse((const char *)b, len, out, err, errlen);
	g_free(plain);
	return ret;
}

/* Read a whole file, at most VS_PROFILE_MAX_BYTES (works on pipes too). */
static int read_file(const char *path, uint8_t **out, size_t *outlen,
		     char *err, size_t errlen)
{
	size_t cap = 1 << 20, len = 0;
	uint8_t *buf = NULL, *nbuf;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, -errno, "%s", g_strerror(errno));
	for (;;) {
		if (!buf || len == cap) {
			if (buf && cap > VS_PROFILE_MAX_BYTES) {
				ret = fail(err, errlen, -E2BIG, "larger than %u MiB",
					   VS_PROFILE_MAX_BYTES >> 20);
				break;
			}
			cap = buf ? MIN(cap * 2, (size_t)VS_PROFILE_MAX_BYTES + 1) : cap;
			nbuf = g_try_realloc(buf, cap);
			if (!nbuf) {
				ret = fail(err, errlen, -ENOMEM, "out of memory");
				break;
			}
			buf = nbuf;
		}
		/* Short only at end of file. */
		n = vs_read_full(fd, buf + len, cap - len);
		if (n < 0) {
			ret = fail(err, errlen, (int)n, "read: %s",
				   g_strerror((int)-n));
			break;
		}
		len += (size_t)n;
		if (len < cap)
			break;
	}
	close(fd);
	if (ret) {
		g_free(buf);
		return ret;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int vs_profile_load(const char *path, struct vs_profile **out, char *err,
		    size_t errlen)
{
	char msg[256] = "";
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	ret = read_file(path, &buf, &len, msg, sizeof(msg));
	if (!ret)
		ret = vs_profile_load_mem(buf, len, out, msg, sizeof(msg));
	g_free(buf);
	if (ret)
		fail(err, errlen, ret, "%s: %s", path, msg);
	return ret;
}

void vs_profile_free(struct vs_profile *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < G_N_ELEMENTS(p->owned); i++)
		g_free(p->owned[i]);
	if (p->parser)
		g_object_unref(p->parser);
	g_free(p);
}

enum vs_profile_os vs_profile_os(const struct vs_profile *p)
{
	return p->os;
}

const char *vs_profile_os_name(enum vs_profile_os os)
{
	return os == VS_PROFILE_OS_WINDOWS ? "windows" :
	       os == VS_PROFILE_OS_LINUX ? "linux" : "unknown";
}

enum vs_profile_format vs_profile_format(const struct vs_profile *p)
{
	return p->format;
}

const char *vs_profile_format_name(enum vs_profile_format f)
{
	return f == VS_PROFILE_FORMAT_REKALL ? "rekall" : "isf";
}

const struct vs_profile_identity *vs_profile_identity(const struct vs_profile *p)
{
	return &p->id;
}
