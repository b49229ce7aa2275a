import { IdempotencyKey } from '../../modules/appeals/entities/idempotency-key.entity';
import { Category } from '../../modules/categories/category.entity';
import { Department } from '../../modules/departments/department.entity';
import { Enterprise } from '../../modules/enterprises/enterprise.entity';
import { User } from '../../modules/users/user.entity';

/** Every entity, listed once: the app, the migration CLI and the drift test share this list. */
export const ENTITIES = [Department, Enterprise, User, Category, IdempotencyKey];
