#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

VkWidget *
vk_widget_new(VkRole role, const char *name, SDL_Rect rect)
{
  VkWidget *w = g_new0(VkWidget, 1);
  w->role = role;
  w->name = g_strdup(name);
  w->rect = rect;
  w->children = g_ptr_array_new_with_free_func((GDestroyNotify)vk_widget_free);
  return w;
}

void
vk_widget_free(VkWidget *w)
{
  if (!w)
    return;
  g_ptr_array_unref(w->children);
  if (w->text_tex)
    SDL_DestroyTexture(w->text_tex);
  g_free(w->name);
  g_free(w->text);
  g_free(w->action);
  g_free(w->arg);
  g_free(w->image_path);
  g_free(w->initial);
  g_free(w);
}

VkWidget *
vk_widget_add(VkWidget *parent, VkWidget *child)
{
  child->parent = parent;
  g_ptr_array_add(parent->children, child);
  return child;
}

void
vk_widget_set_text(VkWidget *w, const char *text)
{
  g_free(w->text);
  w->text = g_strdup(text);
  if (w->text_tex) {
    SDL_DestroyTexture(w->text_tex);
    w->text_tex = NULL;
  }
}

void
vk_widget_set_action(VkWidget *w, const char *action, const char *arg)
{
  g_free(w->action);
  g_free(w->arg);
  w->action = g_strdup(action);
  w->arg = g_strdup(arg);
  w->target = action != NULL;
  w->goes_home = g_strcmp0(action, "home") == 0 || g_strcmp0(action, "decline") == 0 ||
                 g_strcmp0(action, "cancel") == 0 || g_strcmp0(action, "hangup") == 0 ||
                 g_strcmp0(action, "cancel-recording") == 0;
}

VkColor
vk_widget_effective_bg(const VkWidget *w)
{
  for (const VkWidget *p = w; p; p = p->parent)
    if (p->fill)
      return p->bg;
  return w->bg;
}

static gboolean
inside(const SDL_Rect *r, int x, int y)
{
  return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

VkWidget *
vk_widget_hit(VkWidget *root, int x, int y)
{
  if (!inside(&root->rect, x, y))
    return NULL;
  /* topmost child first */
  for (guint i = root->children->len; i > 0; i--) {
    VkWidget *hit = vk_widget_hit(root->children->pdata[i - 1], x, y);
    if (hit)
      return hit;
  }
  return root->target ? root : NULL;
}

static void
collect_targets(VkWidget *w, gpointer data)
{
  if (w->target)
    g_ptr_array_add(data, w);
}

static gint
reading_order(gconstpointer a, gconstpointer b)
{
  const VkWidget *wa = *(VkWidget *const *)a, *wb = *(VkWidget *const *)b;
  /* same row if their vertical centres are within half the smaller height */
  int ca = wa->rect.y + wa->rect.h / 2, cb = wb->rect.y + wb->rect.h / 2;
  int tol = MIN(wa->rect.h, wb->rect.h) / 2;
  if (ABS(ca - cb) > tol)
    return ca < cb ? -1 : 1;
  return wa->rect.x < wb->rect.x ? -1 : wa->rect.x > wb->rect.x;
}

GPtrArray *
vk_widget_targets(VkWidget *root)
{
  GPtrArray *a = g_ptr_array_new();
  vk_widget_foreach(root, collect_targets, a);
  g_ptr_array_sort(a, reading_order);
  return a;
}

VkWidget *
vk_widget_find(VkWidget *root, const char *name)
{
  if (g_strcmp0(root->name, name) == 0)
    return root;
  for (guint i = 0; i < root->children->len; i++) {
    VkWidget *f = vk_widget_find(root->children->pdata[i], name);
    if (f)
      return f;
  }
  return NULL;
}

void
vk_widget_foreach(VkWidget *root, void (*fn)(VkWidget *w, gpointer data), gpointer data)
{
  fn(root, data);
  for (guint i = 0; i < root->children->len; i++)
    vk_widget_foreach(root->children->pdata[i], fn, data);
}

VkWidget *
vk_panel_new(const char *name, SDL_Rect rect, VkColor bg, int radius)
{
  VkWidget *w = vk_widget_new(VK_ROLE_PANEL, name, rect);
  w->bg = bg;
  w->fill = TRUE;
  w->radius = radius;
  return w;
}

const char *
vk_role_name(VkRole r)
{
  static const char *names[] = {"panel", "label", "button",    "tile",   "image",
                                "video", "qr",    "indicator", "banner", "self-view"};
  return r <= VK_ROLE_SELF_VIEW ? names[r] : "?";
}
