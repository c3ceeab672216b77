/* The memory book: photos with captions that family add ("Summer at the cabin, 1974"); the
 * kiosk's photo frame shows them when idle. A document is
 *   {"file": "<sha256 of a photo uploaded to the hub>", "caption": "...", "taken_at": <unix s>}
 * (caption and taken_at optional). */
#include "vindu/plugin.h"

#include "common/document_body.h"
#include "common/document_table.h"
#include "protocol.h"

typedef struct {
  char *file;
  char *caption;
  gint64 taken_at;
} Page;

static void
page_free(Page *page)
{
  g_free(page->file);
  g_free(page->caption);
  g_free(page);
}

static void *
memory_book_open(const char *language)
{
  return document_table_new((GDestroyNotify)page_free);
}

static int
memory_book_put(void *self, const char *doc_id, const char *body_json)
{
  if (!body_json) {
    g_hash_table_remove(self, doc_id);
    return 0;
  }
  g_autoptr(JsonObject) body = document_body_parse(body_json);
  if (!body)
    return 1;
  const char *file = document_body_string(body, "file");
  if (!vp_is_file_hash(file))
    return 1;
  Page *page = g_new0(Page, 1);
  page->file = g_strdup(file);
  page->caption = g_strdup(document_body_string(body, "caption"));
  if (!document_body_int(body, "taken_at", &page->taken_at))
    page->taken_at = 0;
  g_hash_table_replace(self, g_strdup(doc_id), page);
  return 0;
}

static void
memory_book_photos(void *self, VinduPhotoEmit emit, void *ctx)
{
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Page *page = value;
    VinduPhoto photo = {page->file, page->caption, page->taken_at};
    emit(ctx, &photo);
  }
}

static const VinduPlugin plugin = {
    .abi = VINDU_PLUGIN_ABI,
    .struct_size = sizeof(VinduPlugin),
    .name = "memory-book",
    .document_kind = "memory",
    .open = memory_book_open,
    .close = document_table_close,
    .put_document = memory_book_put,
    .today = NULL,
    .photos = memory_book_photos,
};

const VinduPlugin *
vindu_plugin_v1(void)
{
  return &plugin;
}
