/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile_priv.h - what load.c (reading, decompressing, parsing, identity)
 * and lookup.c (sizes, offsets, symbols) share about a loaded profile.
 * Not for use outside src/os/profile/.
 */
#ifndef VS_OS_PROFILE_PROFILE_PRIV_H
#define VS_OS_PROFILE_PROFILE_PRIV_H

#include <json-glib/json-glib.h>

#include "os/profile/profile.h"

struct vs_profile {
	JsonParser *parser;        /* owns the whole tree */
	enum vs_profile_format format;
	enum vs_profile_os os;
	JsonObject *types;         /* ISF user_types, Rekall $STRUCTS */
	JsonObject *symbols;       /* ISF symbols, Rekall $CONSTANTS (or NULL) */
	JsonObject *functions;     /* Rekall $FUNCTIONS (or NULL) */
	struct vs_profile_identity id;
	char *owned[8];            /* the identity strings, g_free'd */
	char err[256];             /* last lookup error */
};

/* "an object", "a string", ... for messages about wrong JSON types. */
const char *vs_profile_node_kind(JsonNode *n);

/* Member of @o that is an object, or NULL (absent or another type). */
JsonObject *vs_profile_get_object(JsonObject *o, const char *key);

/* Member of @o that is a string, else @def (absent or another type). */
const char *vs_profile_get_string(JsonObject *o, const char *key,
				  const char *def);

#endif /* VS_OS_PROFILE_PROFILE_PRIV_H */
