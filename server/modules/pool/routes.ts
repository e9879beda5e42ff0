import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../auth/gate.ts';
import { now } from '../../clock.ts';
import { itemSchemaWith } from '../../engine/fields.ts';
import { NamedRef } from '../../engine/present.ts';
import { type ModuleOptions, registerResource } from '../../engine/routes.ts';
import { errors, Instant } from '../../http/schemas.ts';
import { customersResource } from '../customers/resource.ts';
import { distributionsResource } from '../distributions/resource.ts';
import { grab, standingAlongside, standingFrom } from './grab.ts';
import { poolResource } from './resource.ts';
import { loadPoolSettings, savePoolSettings } from './settings.ts';
import { sweep } from './sweep.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Days = (minimum: number, description: string) => Type.Integer({ minimum, maximum: 3650, description });

const Text = Type.Union([Type.String(), Type.Null()]);

/**
 * The grab's answer: the customer as GET /api/customers/:id shows it, and the period it opened as the
 * distributions list does. Both are the rows the grab wrote, so they carry columns the lists do not
 * show: those are named here too, so that the answer stays what it was.
 */
const Grabbed = Type.Object({
  customer: itemSchemaWith(customersResource, {
    phoneNorm: Text,
    qqNorm: Text,
    wechatNorm: Text,
    previousConsultantId: Type.Union([Type.Integer(), Type.Null()]),
    releasedReason: Text,
    updatedAt: Instant,
  }),
  distribution: itemSchemaWith(distributionsResource, {
    customer: NamedRef,
    daysLeft: Type.Number({ description: 'days until its release deadline, to two decimals' }),
    enrolledAt: Type.Union([Instant, Type.Null()]),
    createdAt: Instant,
    updatedAt: Instant,
  }),
});

const Settings = Type.Object(
  {
    followUpDays: Days(1, 'Days without a follow-up before a customer is released'),
    dealDays: Days(1, 'Days from receiving a customer to closing it before it is released'),
    previousOwnerCooldownDays: Type.Union([Days(0, 'Days the last owner may not grab it back'), Type.Null()]),
    dailyGrabLimit: Type.Integer({ minimum: 0, maximum: 100_000, description: '0 = unlimited' }),
    maxOwned: Type.Integer({ minimum: 0, maximum: 1_000_000, description: '0 = unlimited' }),
    remindDaysBefore: Days(0, 'Days before a deadline its owner is reminded; 0 = never'),
  },
  { additionalProperties: false },
);

/**
 * The public pool (公海): grabbing, its rules and the sweep.
 *
 * Every endpoint, and the code that runs it: engine/ is the resource engine (it scopes, validates
 * and audits); the other files are this folder's. test/endpoints.test.ts holds this table to the
 * routes the app serves.
 *
 *   POST /api/pool/:customerId/grab  grab      grab.ts#grab
 *   POST /api/admin/sweep            sweep     sweep.ts#sweep
 *   GET /api/settings/pool           settings  settings.ts#loadPoolSettings
 *   PUT /api/settings/pool           save      settings.ts#savePoolSettings
 *   GET /api/pool                    list      engine/reads.ts
 *   GET /api/pool/export             export    engine/export.ts
 *   GET /api/meta/pool               describe  engine/meta.ts
 *   GET /api/pool/:id                read      engine/reads.ts
 */
export const poolRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db, timezone } = options;
  registerResource(app, poolResource, options);
  app.post(
    '/api/pool/:customerId/grab',
    {
      config: { access: { permission: 'customer.grab' }, alongside: standingAlongside },
      schema: {
        tags: ['pool'],
        summary: 'Grab a public customer (抢单): exactly one of simultaneous grabbers wins',
        params: Type.Object({ customerId: Id }),
        response: {
          200: Grabbed,
          ...errors(400, 401, 403, 404, 409, 429),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { customerId } = request.params;
      const read = standingFrom(actor.alongside);
      const { customer, distribution } = await grab(db, { actor, customerId, timezone, read });
      return {
        customer,
        distribution: {
          ...distribution,
          customer: { id: customer.id, name: customer.name },
          daysLeft: Math.round(((customer.releaseAt as Date).getTime() - now().getTime()) / 864_000) / 100,
        },
      };
    },
  );

  app.post(
    '/api/admin/sweep',
    {
      config: { access: { permission: 'admin.sweep' } },
      schema: {
        tags: ['pool'],
        summary: 'Run the nightly sweep now: record releases, remind owners of coming deadlines',
        response: {
          200: Type.Object({ released: Type.Integer(), reminded: Type.Integer() }),
          ...errors(401, 403),
        },
      },
    },
    async () => sweep(db, now()),
  );

  app.get(
    '/api/settings/pool',
    {
      config: { access: { permission: 'settings.pool' } },
      schema: {
        tags: ['pool'],
        summary: 'The pool rules',
        response: { 200: Settings, ...errors(401, 403) },
      },
    },
    async () => loadPoolSettings(db),
  );

  app.put(
    '/api/settings/pool',
    {
      config: { access: { permission: 'settings.pool_update' } },
      schema: {
        tags: ['pool'],
        summary: "Change the pool rules; changed deadlines recompute every owned customer's release time",
        body: Settings,
        response: {
          200: Type.Object({ settings: Settings, recomputed: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => savePoolSettings(db, actorOf(request), request.body),
  );
};
