import { type Api, Reply } from '@mutirao/http';
import type { Ctx } from '../usecases/context';
import {
  changeCoordinatorRegions,
  createCoordinator,
  listCoordinators,
  removeCoordinatorAccount,
} from '../usecases/staff';
import {
  Coordinator,
  CoordinatorCreated,
  CoordinatorEdit,
  CoordinatorInput,
  CoordinatorRemoved,
  Coordinators,
  IdParam,
  PageQuery,
} from './schemas';

const tags = ['coordinators'];
const NO_STORE = { 'Cache-Control': 'no-store' };

/** The admin's coordinators and their regions: thin operations over the staff use cases. */
export function coordinatorOperations(api: Api, ctx: Ctx): void {
  api.op({
    method: 'post',
    path: '/coordinators',
    summary: 'Create a coordinator with its regions',
    description:
      'Regions are UN M49 regions, sub-regions or intermediate regions. Without a password, the coordinator is invited by mail (the `access` topic’s `invitation-created` event, role `coordinator`, 7 days) to choose a name and a password, and cannot sign in until then.',
    tags,
    access: ['admin'],
    body: CoordinatorInput,
    responses: {
      201: {
        description: 'the coordinator',
        schema: CoordinatorCreated,
        headers: { 'Cache-Control': 'no-store' },
      },
    },
    refusals: [409],
    handle: async ({ principal, body }) =>
      new Reply(201, await createCoordinator(ctx, principal, body), NO_STORE),
  });

  api.op({
    method: 'get',
    path: '/coordinators',
    summary: 'The coordinators and their regions, a page at a time',
    description: 'Oldest first; `status` says whether each has accepted the invitation yet.',
    tags,
    access: ['admin'],
    query: PageQuery,
    responses: { 200: { description: 'one page of coordinators', schema: Coordinators } },
    handle: ({ query }) => listCoordinators(ctx, query),
  });

  api.op({
    method: 'patch',
    path: '/coordinators/:id',
    summary: 'Change the regions a coordinator acts in',
    description:
      'The person’s `updated` event carries them. Tokens already issued keep the former regions until they expire (15 minutes).',
    tags,
    access: ['admin'],
    params: IdParam,
    body: CoordinatorEdit,
    responses: { 200: { description: 'the coordinator, changed', schema: Coordinator } },
    refusals: [404, 409],
    handle: ({ params, body }) => changeCoordinatorRegions(ctx, params.id, body.regions),
  });

  api.op({
    method: 'delete',
    path: '/coordinators/:id',
    summary: 'Take the coordinator role away',
    description:
      'A coordinator has no other role and no organisation: the account is removed (it can no longer sign in, its address is free again, its person is published as removed). Tokens already issued last until they expire.',
    tags,
    access: ['admin'],
    params: IdParam,
    responses: { 200: { description: 'the coordinator is removed', schema: CoordinatorRemoved } },
    refusals: [404, 409],
    handle: ({ params }) => removeCoordinatorAccount(ctx, params.id),
  });
}
