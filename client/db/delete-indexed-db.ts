/** Deletes an IndexedDB database; resolves at once when another tab still holds it open (it goes as soon as that tab lets go). */
export function deleteIndexedDb(name: string): Promise<void> {
  return new Promise((done, fail) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => done();
    request.onerror = () => fail(request.error ?? new Error(`could not delete ${name}`));
    request.onblocked = () => done();
  });
}
