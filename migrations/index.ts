import { Init1795525727240 } from './1795525727240-Init';

/** Every migration, in order. `npm run migration:generate -- migrations/<Name>` writes a file; add it here. */
export const MIGRATIONS: Function[] = [Init1795525727240];
