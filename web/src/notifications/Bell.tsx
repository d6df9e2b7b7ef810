import { useEffect } from 'react';
import { NotificationListSchema } from '../../../lambdas/contracts/notifications';
import { useI18n } from '../i18n';
import { useGet } from '../session';
import { startLive, useLiveOnline } from './live';

/**
 * The top bar's bell: the unread count (also in the tab title, so a background tab shows that work
 * arrived), and the live inbox's socket kept open while it is shown.
 */
export function NotificationBell() {
  const { t } = useI18n();
  const online = useLiveOnline();
  const list = useGet('/api/notifications?limit=10', NotificationListSchema);
  const unread = list.status === 'ready' ? list.value.unread : 0;
  useEffect(() => startLive(), []);
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\) /, '');
    document.title = unread > 0 ? `(${unread}) ${base}` : base;
  }, [unread]);
  return (
    <span className="notification-bell" data-unread={unread} data-live={online ? 'online' : 'offline'}>
      <span title={t('notificationsBell', { count: unread })}>
        <span aria-hidden="true">🔔</span>
        <span className="visually-hidden">{t('notificationsBell', { count: unread })}</span>
        {unread > 0 ? (
          <span className="badge" aria-hidden="true">
            {unread}
          </span>
        ) : null}
      </span>
      {online ? null : (
        <span className="visually-hidden" role="status">
          {t('liveOffline')}
        </span>
      )}
    </span>
  );
}
