import { z } from 'zod';
import { ROLES, SCOPES } from './roles.js';

export const roleSchema = z.enum(ROLES);
export const scopeSchema = z.enum(SCOPES);
