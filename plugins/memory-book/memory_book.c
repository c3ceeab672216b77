/* The memory book: photos with captions that family add ("Summer at the cabin, 1974"); the
 * kiosk's photo frame shows them when idle. A document is
 *   {"file": "<sha256 of a photo uploaded to the hub>", "caption": "...", "chapter": "family",
 *    "own_chapter": "The cabin", "people": "Anna and Per", "taken_at": <unix s>,
 *    "added_by": "p_anna"}
 * (all but file optional; added_by is written by the hub: who added the page). A chapter of
 * one's own wins over the chosen one. */
#include "vindu/plugin.h"

#include "common/document_body.h"
#include "common/document_table.h"
#include "protocol.h"

typedef struct {
  char *file;
  char *caption;
  char *chapter;
  char *people;
  char *added_by;
  char *voice_file; /* NULL, or the hash of the caption spoken */
  gint64 taken_at;
} Page;

typedef struct {
  const VinduHost *host;
  GHashTable *pages; /* doc id -> Page* */
} MemoryBook;

static void
page_free(Page *page)
{
  g_free(page->file);
  g_free(page->caption);
  g_free(page->chapter);
  g_free(page->people);
  g_free(page->added_by);
  g_free(page->voice_file);
  g_free(page);
}

static int
memory_book_open(const VinduHost *host, void **out)
{
  MemoryBook *self = g_new0(MemoryBook, 1);
  self->host = host;
  self->pages = document_table_new((GDestroyNotify)page_free);
  *out = self;
  return 0;
}

static void
memory_book_close(void *data)
{
  MemoryBook *self = data;
  g_hash_table_unref(self->pages);
  g_free(self);
}

static int
memory_book_put(void *data, const char *kind, const char *doc_id, long long rev,
                const char *body_json)
{
  MemoryBook *self = data;
  if (!body_json) {
    g_hash_table_remove(self->pages, doc_id);
    self->host->photos_changed(self->host);
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
  const char *own = document_body_string(body, "own_chapter");
  page->chapter = g_strdup(own && *own ? own : document_body_string(body, "chapter"));
  page->people = g_strdup(document_body_string(body, "people"));
  page->added_by = g_strdup(document_body_string(body, "added_by"));
  const char *voice = document_body_string(body, "voice_file");
  page->voice_file = vp_is_file_hash(voice) ? g_strdup(voice) : NULL; /* else the photo alone */
  if (!document_body_int(body, "taken_at", &page->taken_at))
    page->taken_at = 0;
  g_hash_table_replace(self->pages, g_strdup(doc_id), page);
  self->host->photos_changed(self->host);
  return 0;
}

static void
memory_book_photos(void *data, VinduPhotoEmit emit, void *ctx)
{
  MemoryBook *self = data;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, self->pages);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Page *page = value;
    VinduPhoto photo = {.file = page->file,
                        .caption = page->caption,
                        .chapter = page->chapter,
                        .people = page->people,
                        .added_by = page->added_by,
                        .taken_at = page->taken_at,
                        .voice_file = page->voice_file};
    emit(ctx, &photo);
  }
}

static const char *const kinds[] = {"memory", NULL};

static const VinduPluginDescriptor descriptor = {
    .abi_major = VINDU_PLUGIN_ABI_MAJOR,
    .abi_minor = VINDU_PLUGIN_ABI_MINOR,
    .descriptor_size = sizeof(VinduPluginDescriptor),
    .name = "memory-book",
    .version = "2.0.0",
    .description = "Memory-book photos with their captions, for the photo frame",
    .kinds = kinds,
    .open = memory_book_open,
    .close = memory_book_close,
    .put_document = memory_book_put,
    .photos = memory_book_photos,
};

const VinduPluginDescriptor *
vindu_plugin_v2(void)
{
  return &descriptor;
}
