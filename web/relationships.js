// Relationships offered when inviting someone, in the household's language (the words the
// resident reads on the kiosk), whatever language the admin's page uses; free text still works.
export const RELATIONSHIPS = ['daughter', 'son', 'granddaughter', 'grandson', 'sister', 'brother',
  'niece', 'nephew', 'friend', 'neighbour', 'visitor', 'home_nurse'];

// A <datalist id=ID> filled once the household language's texts have loaded.
export function relationshipList(id, language) {
  const list = document.createElement('datalist');
  list.id = id;
  fetch(`i18n/${language || 'en'}.json`)
    .then((res) => (res.ok ? res.json() : {}))
    .then((texts) => {
      for (const key of RELATIONSHIPS) {
        const word = texts[`relationship.${key}`];
        if (word) list.append(new Option(word, word));
      }
    })
    .catch(() => {});
  return list;
}
