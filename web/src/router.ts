import { useEffect, useState } from 'react';
import { type Folder, FolderSchema } from '../../lambdas/contracts/documents';

/*
 * Hash routes: they work from any static host (S3 + CloudFront, the local gateway) with no rewrite rules,
 * and keep document ids out of server logs and Referer headers.
 */

export type Route =
  | { readonly page: 'folder'; readonly folder: Folder }
  | { readonly page: 'document'; readonly id: string }
  | { readonly page: 'new' }
  | { readonly page: 'audit'; readonly id?: string }
  | { readonly page: 'profile' }
  | { readonly page: 'work' }
  | { readonly page: 'registers' }
  | { readonly page: 'statistics' }
  | { readonly page: 'delegations' }
  | { readonly page: 'overdue' }
  | { readonly page: 'admin' }
  | { readonly page: 'webhooks' }
  | { readonly page: 'received' }
  | { readonly page: 'home' };

export function parseRoute(hash: string): Route {
  // What follows `?` is a page's own state (the register screen's filters), not part of the route.
  const parts = (hash.replace(/^#\/?/, '').split('?')[0] ?? '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  const [first, second] = parts;
  const folder = FolderSchema.safeParse(second);
  if (first === 'folder' && folder.success) return { page: 'folder', folder: folder.data };
  if (first === 'doc' && second) return { page: 'document', id: second };
  if (first === 'new') return { page: 'new' };
  if (first === 'audit') return second ? { page: 'audit', id: second } : { page: 'audit' };
  if (first === 'me') return { page: 'profile' };
  if (first === 'work') return { page: 'work' };
  if (first === 'registers') return { page: 'registers' };
  if (first === 'statistics') return { page: 'statistics' };
  if (first === 'delegations') return { page: 'delegations' };
  if (first === 'overdue') return { page: 'overdue' };
  if (first === 'admin') return { page: 'admin' };
  if (first === 'webhooks') return { page: 'webhooks' };
  if (first === 'received') return { page: 'received' };
  return { page: 'home' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'folder':
      return `#/folder/${route.folder}`;
    case 'document':
      return `#/doc/${encodeURIComponent(route.id)}`;
    case 'new':
      return '#/new';
    case 'audit':
      return route.id ? `#/audit/${encodeURIComponent(route.id)}` : '#/audit';
    case 'profile':
      return '#/me';
    case 'work':
      return '#/work';
    case 'registers':
      return '#/registers';
    case 'statistics':
      return '#/statistics';
    case 'delegations':
      return '#/delegations';
    case 'overdue':
      return '#/overdue';
    case 'admin':
      return '#/admin';
    case 'webhooks':
      return '#/webhooks';
    case 'received':
      return '#/received';
    case 'home':
      return '#/';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
