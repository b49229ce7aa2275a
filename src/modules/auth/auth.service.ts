import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/domain-error';
import { REDIS, RedisKeys, RedisClient } from '../../infra/redis/redis.module';
import { PasswordService } from '../users/password.service';
import type { UserView } from '../users/users.dto';
import { foldUsername, toUserView, UsersService } from '../users/users.service';
import type { User } from '../users/user.entity';
import type { Actor } from './auth.decorators';
import type { TokenClaims } from './auth.guard';

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: Pick<UserView, 'id' | 'username' | 'role' | 'departmentId' | 'enterpriseId' | 'displayName'>;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly jwt: JwtService,
  ) {}

  /** SPEC §1: a bootstrap admin from ADMIN_USERNAME / ADMIN_PASSWORD when no admin exists. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.countByRole('admin')) > 0) return;
    if (!this.config.adminPassword) {
      this.logger.warn('no admin exists and ADMIN_PASSWORD is not set: set it to create the first admin');
      return;
    }
    try {
      await this.users.create({
        username: this.config.adminUsername,
        password: this.config.adminPassword,
        role: 'admin',
        displayName: '系统管理员',
      });
      this.logger.log(`created the bootstrap admin "${this.config.adminUsername}"`);
    } catch (err) {
      // another process created it at the same moment
      if (!(err instanceof DomainError && err.code === 'CONFLICT')) throw err;
    }
  }

  /**
   * Login is case-insensitive: any spelling of a name finds its one account (usernames are unique
   * whatever their case). The failed-login count is the account's, so no spelling starts a fresh count;
   * a name that names no account has a count of its own (by its folded spelling), so probing costs the
   * same as guessing.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const user = await this.users.findByUsername(username);
    const failKey = user
      ? this.failKey(user.id)
      : this.keys.key('login-fail', 'name', foldUsername(username));
    await this.takeAttempt(failKey);
    const ok =
      user && user.active
        ? await this.passwords.verify(user.passwordHash, password)
        : await this.passwords.verifyNothing(password);
    // a failed attempt keeps the slot it took; a successful one clears the count
    if (!ok || !user) throw new DomainError('UNAUTHENTICATED', 'wrong username or password');
    await this.redis.del(failKey).catch(() => undefined);
    return this.issue(user);
  }

  /**
   * POST /me/password: the current password is checked under the same per-account limit as a login
   * (a stolen token cannot be used to guess it), then every token issued before ends, this one too; the
   * answer carries a fresh token so the caller goes on.
   */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const failKey = this.failKey(actor.id);
    await this.takeAttempt(failKey);
    const user = await this.users.findById(actor.id);
    if (!user || !user.active) throw new DomainError('UNAUTHENTICATED', 'invalid or expired token');
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw DomainError.validation('the current password is wrong', [
        { field: 'currentPassword', message: 'does not match' },
      ]);
    }
    if (currentPassword === newPassword) {
      throw DomainError.validation('the new password must differ from the current one', [
        { field: 'newPassword', message: 'same as the current password' },
      ]);
    }
    await this.redis.del(failKey).catch(() => undefined);
    return this.issue(await this.users.setPassword(user.id, newPassword));
  }

  /** POST /users/{id}/password (admin): sets it, ends the user's tokens and lifts a login lockout. */
  async resetPassword(id: string, password: string): Promise<UserView> {
    const user = await this.users.setPassword(id, password);
    await this.redis.del(this.failKey(user.id)).catch(() => undefined);
    return toUserView(user);
  }

  /** An account's count of failed logins (SPEC §5.1: per account, not per spelling). */
  private failKey(userId: string): string {
    return this.keys.key('login-fail', 'user', userId);
  }

  private async issue(user: User): Promise<LoginResult> {
    const claims: TokenClaims = {
      sub: user.id,
      usr: user.username,
      role: user.role,
      dep: user.departmentId,
      ent: user.enterpriseId,
      ver: user.tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(claims);
    const view = toUserView(user);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
      user: {
        id: view.id,
        username: view.username,
        role: view.role,
        departmentId: view.departmentId,
        enterpriseId: view.enterpriseId,
        displayName: view.displayName,
      },
    };
  }

  /**
   * SPEC §5: failed logins per account, default 10 per 15 minutes, exact under concurrency. Every
   * attempt takes a slot with one atomic INCR *before* the password is checked, so of 20 simultaneous
   * wrong attempts at most 10 are checked; past the limit every attempt, the right password too, gets
   * 429 with Retry-After until the window passes. A successful login clears the count.
   */
  private async takeAttempt(failKey: string): Promise<void> {
    let taken: number;
    let ttlMs: number;
    try {
      const replies = await this.redis
        .multi()
        .incr(failKey)
        .expire(failKey, this.config.loginFailureWindowSeconds, 'NX')
        .pttl(failKey)
        .exec();
      taken = Number(replies?.[0]?.[1]);
      ttlMs = Number(replies?.[2]?.[1]);
    } catch {
      // without the counter the limit cannot hold: refuse rather than let guesses through unlimited
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'the service is temporarily unavailable; try again shortly',
      );
    }
    if (taken > this.config.loginFailureLimit) {
      throw new DomainError(
        'RATE_LIMITED',
        'too many failed logins for this username; try later',
        undefined,
        Math.max(1, ttlMs / 1000),
      );
    }
  }
}
