import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { type MouseEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { type ListPage, resourceKeys } from '../../api/resource.ts';
import { describeError } from '../../components/resource/errors.ts';
import { grabCustomer, type PoolItem, withoutCustomer } from './api.ts';

/**
 * 抢单 from the pool's list: of any number of simultaneous grabbers exactly one wins (the server sees
 * to it), the row leaves the list at once, and the user is told how it went — with a link to the
 * customer when it is theirs now. One grab at a time: `grabbing` is the customer being grabbed.
 */
export function useGrab() {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [grabbing, setGrabbing] = useState<number | null>(null);

  /** The row leaves every cached page at once; the refetch that follows confirms it. */
  const dropRow = (customerId: number) => {
    queryClient.setQueriesData<ListPage<PoolItem>>(
      { queryKey: [...resourceKeys.resource('pool'), 'list'] },
      (old) => withoutCustomer(old, customerId),
    );
  };

  const openCustomer = (customerId: number) => (event: MouseEvent) => {
    event.preventDefault();
    void navigate(`/customers/${customerId}`);
  };

  const grab = async (item: PoolItem) => {
    setGrabbing(item.id);
    try {
      await grabCustomer(item.id);
      dropRow(item.id);
      // The message lives outside the router, so its link navigates through this page's router.
      message.success({
        key: `grab-${item.id}`,
        duration: 8,
        content: (
          <span data-testid="grab-success">
            {t('pool.grabbed', { name: item.name })}{' '}
            <a
              href={`/customers/${item.id}`}
              onClick={openCustomer(item.id)}
              data-testid="grab-view-customer"
            >
              {t('pool.viewCustomer')}
            </a>
          </span>
        ),
      });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'already_taken' || error.status === 404)) {
        // Someone else was quicker (or the customer is gone): the row is stale.
        dropRow(item.id);
        message.warning({
          key: `grab-${item.id}`,
          content: <span data-testid="grab-taken">{t('pool.alreadyTaken', { name: item.name })}</span>,
        });
      } else {
        // The limits and the last-owner rule name their numbers: the server's params, in the user's words.
        notification.error({
          key: `grab-${item.id}`,
          title: t('pool.grabFailed'),
          description: <span data-testid="grab-refused">{describeError(error, t)}</span>,
        });
      }
    } finally {
      setGrabbing(null);
      // The pool, the caller's customers and the customers list all changed.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.all });
    }
  };

  return { grabbing, grab };
}
