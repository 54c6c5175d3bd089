/** Bodies of the admin API (zod), so every route refuses bad input the same way. */
import { z } from 'zod';
import { isValidId } from '../../domain/doc-names.ts';
import { ROLES } from '../../domain/roles.ts';

export const PlaceId = z.string().refine(isValidId, 'must be 1–64 letters, digits, - or _');
export const Username = z
	.string()
	.trim()
	.regex(/^[A-Za-z0-9_.-]{2,64}$/, 'must be 2–64 letters, digits, ., - or _');
export const Password = z.string().min(8, 'must have at least 8 characters').max(1000);
export const DisplayName = z.string().trim().min(1, 'is required').max(100);
export const PlaceName = z.string().trim().min(1, 'is required').max(100);

export const MembershipBody = z.object({
	role: z.enum(ROLES),
	level: z.enum(['street', 'community', 'grid']),
	placeId: PlaceId
});

export const CreateUserBody = z.object({
	username: Username,
	password: Password,
	displayName: DisplayName,
	membership: MembershipBody
});

export const UpdateUserBody = z
	.object({
		displayName: DisplayName.optional(),
		disabled: z.boolean().optional(),
		password: Password.optional()
	})
	.refine((b) => b.displayName !== undefined || b.disabled !== undefined || b.password !== undefined, 'nothing to change');

export const CreatePlaceBody = z.object({
	level: z.enum(['community', 'grid']),
	id: PlaceId.optional(),
	name: PlaceName,
	parentId: PlaceId
});

export const RenamePlaceBody = z.object({ name: PlaceName });
