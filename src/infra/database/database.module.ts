import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { ReadDatabase } from './read-replica';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, config.dbPoolSize),
        // failed queries are expected (a unique violation is a 409); the error filter logs what is unexpected
        logging: false,
        // Fail fast at boot instead of retrying for half a minute; npm start checks the server first.
        retryAttempts: 2,
        retryDelay: 500,
      }),
    }),
  ],
  providers: [ReadDatabase],
  exports: [ReadDatabase],
})
export class DatabaseModule {}
