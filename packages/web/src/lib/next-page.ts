/** Where to go after signing in: the page that sent the user to log in, if it was ours. */
export function nextFrom(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/overview';
}
