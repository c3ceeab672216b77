#include "fault_blame.h"

#include "plugin_wire.h"

struct FaultBlame {
  FaultBlameDoc fresh;    /* last given as it arrived (kind NULL: none) */
  FaultBlameDoc replayed; /* last given at a replay */
  FaultBlameDoc put;      /* the document of a put in flight, for the answer of _for */
  GHashTable *timers;     /* timer id -> FaultBlameDoc* */
};

static void
doc_clear(FaultBlameDoc *d)
{
  g_clear_pointer(&d->kind, g_free);
  g_clear_pointer(&d->doc, g_free);
  d->rev = 0;
}

static void
doc_set(FaultBlameDoc *d, const char *kind, const char *doc, gint64 rev)
{
  char *k = g_strdup(kind), *n = g_strdup(doc);
  doc_clear(d);
  d->kind = k;
  d->doc = n;
  d->rev = rev;
}

static void
doc_free(FaultBlameDoc *d)
{
  doc_clear(d);
  g_free(d);
}

FaultBlame *
fault_blame_new(void)
{
  FaultBlame *b = g_new0(FaultBlame, 1);
  b->timers = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)doc_free);
  return b;
}

void
fault_blame_free(FaultBlame *b)
{
  if (!b)
    return;
  doc_clear(&b->fresh);
  doc_clear(&b->replayed);
  doc_clear(&b->put);
  g_hash_table_unref(b->timers);
  g_free(b);
}

static const FaultBlameDoc *
last_given(FaultBlame *b)
{
  return b->fresh.kind ? &b->fresh : b->replayed.kind ? &b->replayed : NULL;
}

void
fault_blame_given(FaultBlame *b, const char *kind, const char *doc, gint64 rev, gboolean fresh)
{
  doc_set(fresh ? &b->fresh : &b->replayed, kind, doc, rev);
}

void
fault_blame_timer_set(FaultBlame *b, gint64 id)
{
  const FaultBlameDoc *owner = last_given(b);
  if (!owner)
    return;
  FaultBlameDoc *copy = g_new0(FaultBlameDoc, 1);
  doc_set(copy, owner->kind, owner->doc, owner->rev);
  g_hash_table_replace(b->timers, g_memdup2(&id, sizeof id), copy);
}

const FaultBlameDoc *
fault_blame_for(FaultBlame *b, JsonObject *request)
{
  const char *call = request ? vindu_wire_string(request, "call") : NULL;
  if (!call)
    return NULL;
  if (g_str_equal(call, "put")) {
    const char *kind = vindu_wire_string(request, "kind"), *doc = vindu_wire_string(request, "doc");
    if (!kind || !doc)
      return NULL;
    doc_set(&b->put, kind, doc, vindu_wire_int(request, "rev", 0));
    return &b->put;
  }
  if (g_str_equal(call, "timer")) {
    gint64 id = vindu_wire_int(request, "timer", -1);
    return g_hash_table_lookup(b->timers, &id);
  }
  if (g_str_equal(call, "today") || g_str_equal(call, "photos") || g_str_equal(call, "action"))
    return last_given(b);
  return NULL;
}
