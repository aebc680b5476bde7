/* Paragraph styles of an ODT package, for heading and title detection. */
#include "odt.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/errors.h"

#define STYLE_CHAIN_MAX 32
#define STYLES_MAX 100000 /* paragraph styles kept; real documents have a few hundred */

struct style_entry {
    const char *name;     /* NULL: empty slot */
    const char *parent;
    const char *display;
    int outline_level;
    int automatic;
};

struct qms_odt_styles {
    struct qms_arena *arena;
    struct style_entry *slots;
    size_t cap, len;
    uint64_t key;
};

/* Style names come from the document: a file can choose thousands of names that collide
 * under a fixed hash and make every lookup walk one long probe run. The hash is therefore
 * keyed per table (the key only changes slot order, never a result) and finalized so the
 * key reaches the low bits used for the slot. */
static uint64_t hash_name(uint64_t key, const char *s)
{
    uint64_t h = 1469598103934665603ull ^ key;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

struct qms_odt_styles *qms_odt_styles_new(struct qms_arena *scratch)
{
    struct qms_odt_styles *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->arena = scratch;
    /* Address-space layout and time: unpredictable enough for a file written in advance. */
    s->key = (uint64_t)(uintptr_t)s ^ ((uint64_t)(uintptr_t)&s << 17) ^
             ((uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull);
    s->cap = 64;
    s->slots = calloc(s->cap, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    return s;
}

void qms_odt_styles_free(struct qms_odt_styles *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s);
}

static struct style_entry *find_slot(struct style_entry *slots, size_t cap, uint64_t key,
                                     const char *name)
{
    size_t i = (size_t)hash_name(key, name) & (cap - 1);
    while (slots[i].name && strcmp(slots[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(struct qms_odt_styles *s)
{
    size_t cap = s->cap * 2;
    struct style_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return QMS_ENOMEM;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].name)
            *find_slot(slots, cap, s->key, s->slots[i].name) = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return 0;
}

static const char *dup_or_null(struct qms_arena *a, const char *v, int *failed)
{
    if (!v)
        return NULL;
    const char *d = qms_arena_strdup(a, v);
    if (!d)
        *failed = 1;
    return d;
}

int qms_odt_styles_put(struct qms_odt_styles *s, const char *name, const char *parent,
                       const char *display, int outline_level, int automatic)
{
    if (!name || !*name)
        return 0;
    if ((s->len + 1) * 2 > s->cap && grow(s) != 0)
        return QMS_ENOMEM;
    struct style_entry *e = find_slot(s->slots, s->cap, s->key, name);
    if (!e->name && s->len >= STYLES_MAX)
        return 0; /* beyond the cap new names read as unknown styles */
    int failed = 0;
    struct style_entry n = {
        .name = e->name ? e->name : dup_or_null(s->arena, name, &failed),
        .parent = dup_or_null(s->arena, parent, &failed),
        .display = dup_or_null(s->arena, display, &failed),
        .outline_level = outline_level,
        .automatic = automatic,
    };
    if (failed)
        return QMS_ENOMEM;
    if (!e->name)
        s->len++;
    *e = n;
    return 0;
}

static const struct style_entry *lookup(const struct qms_odt_styles *s, const char *name)
{
    const struct style_entry *e = find_slot(s->slots, s->cap, s->key, name);
    return e->name ? e : NULL;
}

/* "Heading_20_3", "Heading 3", "heading 3" -> 3; else 0. */
static uint32_t level_from_name(const char *name)
{
    static const char *const prefixes[] = {"Heading_20_", "Heading ", "heading "};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], n) == 0) {
            const char *d = name + n;
            if (d[0] >= '1' && d[0] <= '9' && d[1] == '\0')
                return (uint32_t)(d[0] - '0');
            if (d[0] == '1' && d[1] == '0' && d[2] == '\0')
                return 10;
        }
    }
    return 0;
}

static int is_title_name(const char *name)
{
    return strcmp(name, "Title") == 0 || strcmp(name, "title") == 0;
}

/* info.display may point into `name` itself when the style is unknown. */
struct qms_odt_style_info qms_odt_styles_resolve(struct qms_odt_styles *s, const char *name)
{
    struct qms_odt_style_info info = {QMS_ODT_ROLE_BODY, 0, NULL};
    int level_known = 0, title = 0;
    uint32_t name_level = 0;
    const char *cur = name;
    for (int steps = 0; cur && *cur && steps < STYLE_CHAIN_MAX; steps++) {
        const struct style_entry *e = lookup(s, cur);
        const char *display = e && e->display ? e->display : cur;
        if (!info.display && (!e || !e->automatic))
            info.display = e ? (e->display ? e->display : e->name) : cur;
        if (!level_known && e && e->outline_level >= 0) {
            level_known = 1;
            info.level = (uint32_t)e->outline_level;
        }
        if (is_title_name(cur) || is_title_name(display))
            title = 1;
        if (!name_level) {
            name_level = level_from_name(cur);
            if (!name_level)
                name_level = level_from_name(display);
        }
        if (!e)
            break;
        cur = e->parent;
    }
    if (!level_known && name_level)
        info.level = name_level;
    if (title && info.level == 0)
        info.role = QMS_ODT_ROLE_TITLE;
    else if (info.level > 0)
        info.role = QMS_ODT_ROLE_HEADING;
    return info;
}
