// The household page's place for plugin documents (reminders, memory book, activities): their
// lists and forms (plugins.js, forms.js and the fields' widgets) are loaded only once the
// household's state names a kind this person may write. Most relatives hold no such right, and
// on a slow phone link their first visit then downloads none of that code.

// The kinds this person may write here: the hub sends only those, the right is checked again.
export function formKinds(store, id) {
  const state = store.state(id);
  return ((state && state.plugin_kinds) || []).filter((k) => store.can(id, k.right));
}

// { element, cleanup } like renderPlugins; the element is replaced by the real one once loaded.
export function pluginSlot(app, id) {
  const slot = document.createElement('div');
  slot.className = 'plugins-slot';
  let part = null;
  let loading = false;
  let closed = false;
  const load = () => {
    if (loading || closed || !formKinds(app.store, id).length) return;
    loading = true;
    import('./plugins.js').then(({ renderPlugins }) => {
      if (closed) return;
      part = renderPlugins(app, id);
      slot.replaceWith(part.element);
    }, () => {
      loading = false; // offline before it was ever fetched: tried again at the next change
    });
  };
  const offStore = app.store.onChange(load);
  load();
  return {
    element: slot,
    cleanup: () => {
      closed = true;
      offStore();
      if (part) part.cleanup();
    },
  };
}
