import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BearerTokens } from './bearer-tokens';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a public key on
        // every sign and verify, and only after that throws makes the secret key. The exception cost about a
        // sixth of the CPU of an authenticated request. The HMAC key bytes are the same (the string's UTF-8).
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuthGuard, BearerTokens],
  exports: [AuthGuard, BearerTokens],
})
export class AuthModule {}
