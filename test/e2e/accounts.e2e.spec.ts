import { login, PASSWORD } from '../setup/factories';
import { appealSuite } from '../setup/appeal-helpers';
import { TEST_ADMIN } from '../setup/test-app';

/**
 * SPEC §5 accounts: an admin deactivates, moves, renames and resets users; anyone changes their own
 * password; every change that should end a user's tokens ends them on the very next request; the last
 * active admin stays.
 */
describe('accounts (e2e)', () => {
  const s = appealSuite();
  const patch = (id: string, auth: string, body: object) =>
    s.t.http().patch(`/api/v1/users/${id}`).set('Authorization', auth).send(body);
  const me = (auth: string) => s.t.http().get('/api/v1/me').set('Authorization', auth);

  it('a deactivated user cannot log in and its existing token is 401 on the next request', async () => {
    const { f, admin } = s.w;
    const user = await f.user('dispatcher');
    const token = await login(s.t, user.username);
    await me(token).expect(200);
    const res = await patch(user.id, admin.auth, { active: false }).expect(200);
    expect(res.body).toMatchObject({ id: user.id, active: false });
    expect(res.body.passwordHash).toBeUndefined();
    const after = await me(token).expect(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
    await s.api.get('/appeals', token).expect(401);
    const again = await s.t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD });
    expect(again.status).toBe(401);
    // reactivated: a new login works, the token from before stays dead
    await patch(user.id, admin.auth, { active: true }).expect(200);
    const fresh = await login(s.t, user.username);
    await me(fresh).expect(200);
    await me(token).expect(401);
  });

  it('moving a handler to another department ends its token; the new one works the new queue', async () => {
    const { f, admin, lead, co } = s.w;
    const handler = await f.user('handler', { departmentId: lead.id });
    const token = await login(s.t, handler.username);
    await s.api.get('/queue', token).expect(200);
    const res = await patch(handler.id, admin.auth, { departmentId: co.id, displayName: '王科长' }).expect(
      200,
    );
    expect(res.body).toMatchObject({ departmentId: co.id, displayName: '王科长', role: 'handler' });
    await s.api.get('/queue', token).expect(401);
    const fresh = await login(s.t, handler.username);
    const who = await me(fresh).expect(200);
    expect(who.body.departmentId).toBe(co.id);
  });

  it('a rename alone leaves tokens working; a role change ends them', async () => {
    const { f, admin } = s.w;
    const user = await f.user('supervisor');
    const token = await login(s.t, user.username);
    await patch(user.id, admin.auth, { displayName: '督查室' }).expect(200);
    await me(token).expect(200);
    await patch(user.id, admin.auth, { role: 'dispatcher' }).expect(200);
    await me(token).expect(401);
    const fresh = await login(s.t, user.username);
    expect((await me(fresh).expect(200)).body.role).toBe('dispatcher');
  });

  it('an admin reset ends the old tokens and the old password', async () => {
    const { f, admin } = s.w;
    const user = await f.user('dispatcher');
    const token = await login(s.t, user.username);
    const res = await s.api
      .post(`/users/${user.id}/password`, admin.auth, { password: 'new-password-456' })
      .expect(200);
    expect(res.body).toMatchObject({ id: user.id, username: user.username });
    await me(token).expect(401);
    await s.t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: PASSWORD })
      .expect(401);
    await me(await login(s.t, user.username, 'new-password-456')).expect(200);
  });

  it('a user changes its own password: the current one is checked, earlier tokens end, a fresh one is given', async () => {
    const { f } = s.w;
    const user = await f.user('handler');
    const token = await login(s.t, user.username);
    const other = await login(s.t, user.username);
    const wrong = await s.api
      .post('/me/password', token, { currentPassword: 'not-my-password', newPassword: 'another-pass-789' })
      .expect(400);
    expect(wrong.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
    const same = await s.api
      .post('/me/password', token, { currentPassword: PASSWORD, newPassword: PASSWORD })
      .expect(400);
    expect(same.body.details).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    const short = await s.api.post('/me/password', token, {
      currentPassword: PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    const ok = await s.api
      .post('/me/password', token, { currentPassword: PASSWORD, newPassword: 'another-pass-789' })
      .expect(200);
    expect(ok.body.user).toMatchObject({ id: user.id });
    await me(token).expect(401);
    await me(other).expect(401);
    await me(`Bearer ${ok.body.accessToken}`).expect(200);
    await me(await login(s.t, user.username, 'another-pass-789')).expect(200);
  });

  it('the last active admin can be neither deactivated nor demoted, even by two admins at once', async () => {
    const { admin } = s.w;
    const boot = await login(s.t, TEST_ADMIN.username, TEST_ADMIN.password);
    const bootId = (await me(boot).expect(200)).body.id as string;
    const secondId = (await me(admin.auth).expect(200)).body.id as string;
    // two active admins: each deactivating the other at the same moment, exactly one may win
    const [a, b] = await Promise.all([
      patch(secondId, boot, { active: false }),
      patch(bootId, admin.auth, { active: false }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe('CONFLICT');
    const survivor = a.status === 200 ? boot : admin.auth;
    const survivorId = a.status === 200 ? bootId : secondId;
    const demote = await patch(survivorId, survivor, { role: 'supervisor' }).expect(409);
    expect(demote.body.code).toBe('CONFLICT');
    await patch(survivorId, survivor, { active: false }).expect(409);
    // put things back for the other tests
    const back = a.status === 200 ? secondId : bootId;
    await patch(back, survivor, { active: true }).expect(200);
    s.w.admin.auth = await login(s.t, admin.user.username);
  });

  it('bad requests are 4xx: not an admin, unknown user, empty or unknown fields, rules of roles', async () => {
    const { f, admin, dispatcher, enterprise } = s.w;
    const user = await f.user('dispatcher');
    await patch(user.id, dispatcher.auth, { active: false }).expect(403);
    await s.api
      .post(`/users/${user.id}/password`, dispatcher.auth, { password: 'new-password-456' })
      .expect(403);
    await patch('8b0e1f4e-3a52-4c7e-9d7a-1c9f0e2b7a11', admin.auth, { active: false }).expect(404);
    await s.api
      .post('/users/8b0e1f4e-3a52-4c7e-9d7a-1c9f0e2b7a11/password', admin.auth, {
        password: 'new-password-456',
      })
      .expect(404);
    await patch('not-a-uuid', admin.auth, { active: false }).expect(400);
    await patch(user.id, admin.auth, {}).expect(400);
    await patch(user.id, admin.auth, { active: 'no' }).expect(400);
    await patch(user.id, admin.auth, { password: 'x' }).expect(400);
    await patch(user.id, admin.auth, { role: 'enterprise' }).expect(400);
    await patch(user.id, admin.auth, { role: 'handler' }).expect(400);
    await patch(user.id, admin.auth, { departmentId: '8b0e1f4e-3a52-4c7e-9d7a-1c9f0e2b7a11' }).expect(400);
    const enterpriseId = (await me(enterprise.auth).expect(200)).body.id as string;
    await patch(enterpriseId, admin.auth, { role: 'dispatcher' }).expect(400);
    // an enterprise account can still be deactivated
    const e = await f.user('enterprise');
    await patch(e.id, admin.auth, { active: false }).expect(200);
  });
});
