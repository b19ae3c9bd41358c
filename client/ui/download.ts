/** Saves text as a file through the browser's download (works offline: nothing leaves the device). */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the blob may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
