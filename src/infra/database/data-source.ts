/** For the TypeORM CLI (npm run migration:run / migration:generate). */
import { DataSource } from 'typeorm';
import { loadDatabaseUrlFromProcess } from '../../config/app-config';
import { dataSourceOptions } from './data-source-options';

export default new DataSource(dataSourceOptions(loadDatabaseUrlFromProcess(), 2));
