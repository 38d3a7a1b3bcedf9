/** Offers a saved report to the browser as a download (browser mode; Electron shows its save dialog for it). */
export function downloadReport(file: { fileName: string; mediaType: string; encoding: 'utf8' | 'base64'; content: string }): void {
  const data =
    file.encoding === 'base64' ? Uint8Array.from(atob(file.content), (ch) => ch.charCodeAt(0)) : new TextEncoder().encode(file.content);
  const url = URL.createObjectURL(new Blob([data], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // revoke after the click has been handled, or some browsers cancel the download
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
