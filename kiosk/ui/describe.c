#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/describe.h"
#include "kiosk/ui/render.h"

#include <math.h>

typedef struct {
  VkUi *ui;
  JsonBuilder *b;
  GHashTable *index; /* VkWidget* -> position + 1 */
  int next;
  int targets;
} Walk;

static double
round2(double v)
{
  return round(v * 100) / 100;
}

static void
describe_one(Walk *wk, VkWidget *w)
{
  const VkLayout *l = &wk->ui->layout;
  JsonBuilder *b = wk->b;
  g_hash_table_insert(wk->index, w, GINT_TO_POINTER(++wk->next));
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "role");
  json_builder_add_string_value(b, vk_role_name(w->role));
  json_builder_set_member_name(b, "name");
  json_builder_add_string_value(b, w->name ? w->name : "");
  json_builder_set_member_name(b, "text");
  json_builder_add_string_value(b, w->text ? w->text : "");
  json_builder_set_member_name(b, "action");
  json_builder_add_string_value(b, w->action ? w->action : "");
  json_builder_set_member_name(b, "arg");
  json_builder_add_string_value(b, w->arg && w->role != VK_ROLE_QR ? w->arg : "");
  json_builder_set_member_name(b, "target");
  json_builder_add_boolean_value(b, w->target);
  json_builder_set_member_name(b, "goes_home");
  json_builder_add_boolean_value(b, w->goes_home);
  json_builder_set_member_name(b, "parent");
  json_builder_add_int_value(
      b, w->parent ? GPOINTER_TO_INT(g_hash_table_lookup(wk->index, w->parent)) - 1 : -1);
  const char *px[] = {"x", "y", "w", "h"};
  const int pv[] = {w->rect.x, w->rect.y, w->rect.w, w->rect.h};
  for (int i = 0; i < 4; i++) {
    json_builder_set_member_name(b, px[i]);
    json_builder_add_int_value(b, pv[i]);
    g_autofree char *mm = g_strconcat(px[i], "_mm", NULL);
    json_builder_set_member_name(b, mm);
    json_builder_add_double_value(b, round2(vk_px_to_mm(l, pv[i])));
  }
  if (w->role == VK_ROLE_IMAGE) {
    json_builder_set_member_name(b, "whole"); /* drawn whole (aspect kept), not cropped */
    json_builder_add_boolean_value(b, w->whole);
    json_builder_set_member_name(b, "photo"); /* a photo is drawn, not the calm initial */
    json_builder_add_boolean_value(b, vk_render_image_ready(wk->ui, w->image_path));
  }
  json_builder_set_member_name(b, "min_side_mm");
  json_builder_add_double_value(b, round2(vk_px_to_mm(l, MIN(w->rect.w, w->rect.h))));
  gboolean has_text = w->text && *w->text && w->font_px > 0;
  json_builder_set_member_name(b, "font_px");
  json_builder_add_int_value(b, has_text ? w->font_px : 0);
  json_builder_set_member_name(b, "radius");
  json_builder_add_int_value(b, w->fill ? w->radius : 0);
  json_builder_set_member_name(b, "bold");
  json_builder_add_boolean_value(b, w->bold);
  VkColor bg = vk_widget_effective_bg(w);
  g_autofree char *fg_s = vk_color_to_string(w->fg);
  g_autofree char *bg_s = vk_color_to_string(bg);
  json_builder_set_member_name(b, "fg");
  json_builder_add_string_value(b, fg_s);
  json_builder_set_member_name(b, "bg");
  json_builder_add_string_value(b, bg_s);
  json_builder_set_member_name(b, "contrast");
  json_builder_add_double_value(b, round2(vk_contrast_ratio(w->fg, bg)));
  json_builder_set_member_name(b, "fits");
  /* a text shortened with "…" is not the text: it does not fit, whatever its width now */
  json_builder_add_boolean_value(b, has_text ? !w->cut && vk_text_fits(wk->ui, w) : TRUE);
  json_builder_end_object(b);
  wk->targets += w->target;
  for (guint i = 0; i < w->children->len; i++)
    describe_one(wk, w->children->pdata[i]);
}

JsonNode *
vk_describe_screen(VkUi *ui, VkWidget *root, const char *screen, const char *state,
                   const char *language)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  Walk wk = {ui, b, g_hash_table_new(NULL, NULL), 0, 0};
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "screen");
  json_builder_add_string_value(b, screen);
  json_builder_set_member_name(b, "state");
  json_builder_add_string_value(b, state);
  json_builder_set_member_name(b, "width");
  json_builder_add_int_value(b, ui->layout.width);
  json_builder_set_member_name(b, "height");
  json_builder_add_int_value(b, ui->layout.height);
  json_builder_set_member_name(b, "dpi");
  json_builder_add_double_value(b, ui->layout.dpi);
  json_builder_set_member_name(b, "theme");
  json_builder_add_string_value(b, ui->theme->name);
  json_builder_set_member_name(b, "language");
  json_builder_add_string_value(b, language);
  json_builder_set_member_name(b, "widgets");
  json_builder_begin_array(b);
  describe_one(&wk, root);
  json_builder_end_array(b);
  json_builder_set_member_name(b, "targets");
  json_builder_add_int_value(b, wk.targets);
  json_builder_end_object(b);
  g_hash_table_unref(wk.index);
  return json_builder_get_root(b);
}
