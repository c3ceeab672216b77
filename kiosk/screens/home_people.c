#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

/* The people on the home screen: as many at once as fit with a face of at least 30 mm (UX.md),
 * at most six; when there are more, the last place is "More people", one touch to the next
 * ones and, from the last ones, back to the first. The same faces in the same places. */

#define FACE_MM 31.0 /* UX.md's 30 mm, with a millimetre to spare for rounding */

typedef struct {
  int rows, cols;   /* the grid */
  int per_page;     /* people on one page */
  gboolean paged;   /* the last cell is "More people" */
  int tw, th, band; /* tile size and the height under its photo */
  gboolean show_rel;
} Grid;

static VkPersonTile
person_tile(VkPerson *p)
{
  return (VkPersonTile){p->id,           p->name,       p->short_name,
                        p->relationship, p->photo_path, p->reachable};
}

/* The tallest band any person needs at this width (all people, so pages look alike). */
static int
band_for(VkApp *app, int tw, gboolean show_rel, gboolean pill)
{
  GPtrArray *people = app->model->people;
  int band = 0;
  for (guint i = 0; i < people->len; i++) {
    VkPerson *p = people->pdata[i];
    VkTileBand b;
    if (vk_tile_band(app->ui, p->name, p->relationship, tw, show_rel, &b) < 0 &&
        (!p->short_name ||
         vk_tile_band(app->ui, p->short_name, p->relationship, tw, show_rel, &b) < 0))
      b = (VkTileBand){.height = G_MAXINT / 4};
    band = MAX(band, b.height - (pill ? 0 : b.pill_h));
  }
  return band;
}

static gboolean
grid_try(VkApp *app, Grid *gr, int area_w, int area_h, gboolean pill)
{
  VkGeom g = vk_geom(app);
  int n = (int)app->model->people->len, cells = gr->rows * gr->cols;
  gr->paged = n > cells;
  gr->per_page = gr->paged ? cells - 1 : n;
  if (gr->per_page < 1)
    return FALSE;
  if (!gr->paged) { /* fewer people: fewer columns or rows, bigger faces */
    gr->cols = MIN(gr->cols, n <= 4 && gr->rows == 1 ? n : n <= 3 ? n : n == 4 ? 2 : 3);
    gr->rows = (n + gr->cols - 1) / gr->cols;
  }
  gr->tw = (area_w - (gr->cols - 1) * g.g) / gr->cols;
  gr->th = (area_h - (gr->rows - 1) * g.g) / gr->rows;
  gr->tw = MIN(gr->tw, gr->th * 3 / 2); /* not too wide when there are few */
  int face = vk_ui_mm(app->ui, FACE_MM);
  for (int rel = 1; rel >= 0; rel--) {
    gr->show_rel = rel;
    gr->band = band_for(app, gr->tw, rel, pill);
    if (MIN(gr->tw, gr->th - gr->band) >= face)
      return TRUE;
  }
  return FALSE;
}

static Grid
grid_choose(VkApp *app, int area_w, int area_h)
{
  static const int shapes[][2] = {{2, 3}, {2, 2}, {1, 4}, {1, 3}, {1, 2}, {1, 1}};
  gboolean pill = FALSE; /* the "Available" row only when someone is available */
  for (guint i = 0; i < app->model->people->len; i++)
    pill = pill || ((VkPerson *)app->model->people->pdata[i])->reachable;
  Grid gr = {0};
  for (guint k = 0; k < G_N_ELEMENTS(shapes); k++) {
    gr = (Grid){.rows = shapes[k][0], .cols = shapes[k][1]};
    if (grid_try(app, &gr, area_w, area_h, pill))
      return gr;
  }
  /* one at a time, as large as it gets: the figure test says if even that fails */
  gr = (Grid){.rows = 1, .cols = app->model->people->len > 1 ? 2 : 1};
  grid_try(app, &gr, area_w, area_h, pill);
  gr.band = MIN(gr.band, gr.th / 2);
  return gr;
}

static void
add_more_button(VkApp *app, VkWidget *root, SDL_Rect r, int next)
{
  VkTheme *t = app->ui->theme;
  const char *text = next ? _("More people") : _("Back to the first people");
  g_autofree char *arg = g_strdup_printf("%d", next);
  VkWidget *b = vk_widget_add(root, vk_button_new(app->ui, "more-people", text, r, t->button,
                                                  t->button_text, "people-page", arg));
  b->wrap = TRUE;
}

void
vk_home_people(VkApp *app, VkWidget *root, SDL_Rect area)
{
  GPtrArray *people = app->model->people;
  int n = (int)people->len;
  Grid gr = grid_choose(app, area.w, area.h);
  VkGeom g = vk_geom(app);
  int first = app->home.people_page >= 0 && app->home.people_page < n ? app->home.people_page : 0;
  first -= first % gr.per_page;
  int shown = MIN(gr.per_page, n - first);
  int cells = shown + (gr.paged ? 1 : 0);
  int grid_w = gr.cols * gr.tw + (gr.cols - 1) * g.g;
  int rows_used = (cells + gr.cols - 1) / gr.cols;
  int grid_h = rows_used * gr.th + (rows_used - 1) * g.g;
  int x0 = area.x + (area.w - grid_w) / 2, y0 = area.y + (area.h - grid_h) / 2;
  for (int i = 0; i < cells; i++) {
    SDL_Rect r = vk_rect(x0 + (i % gr.cols) * (gr.tw + g.g), y0 + (i / gr.cols) * (gr.th + g.g),
                         gr.tw, gr.th);
    if (i == shown) {
      add_more_button(app, root, r, first + shown < n ? first + shown : 0);
      break;
    }
    VkPersonTile pt = person_tile(people->pdata[first + i]);
    vk_widget_add(root, vk_tile_new(app->ui, &pt, r, gr.band, gr.show_rel));
  }
}
