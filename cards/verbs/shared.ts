import { z } from 'zod';

/** The verb itself: present in `data` (we put it there for Action.Submit), routed by teams-ai. */
export const verbField = z.string().max(40).optional();
