import { describe, expect, it } from 'vitest';
import type { ApiCondition } from '../sources/gateway-api.js';
import { type DesiredCondition, formatTime, mergeConditions, OWNED_CONDITION_TYPES } from './conditions.js';

const now = new Date('2026-03-01T10:00:00.789Z');
const accepted: DesiredCondition = { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted' };
const before = (status: 'True' | 'False', type = 'Accepted'): ApiCondition => ({
  type,
  status,
  reason: 'Old',
  message: 'old',
  observedGeneration: 1,
  lastTransitionTime: '2025-01-01T00:00:00Z',
});

describe('mergeConditions', () => {
  const cases: Record<string, { existing?: ApiCondition[]; want: Partial<ApiCondition>[] }> = {
    'a new condition gets the current time, truncated to seconds': {
      want: [{ type: 'Accepted', lastTransitionTime: '2026-03-01T10:00:00Z', observedGeneration: 3 }],
    },
    'an unchanged status keeps its lastTransitionTime (reason and message still update)': {
      existing: [before('True')],
      want: [
        { reason: 'Accepted', message: 'Accepted', lastTransitionTime: '2025-01-01T00:00:00Z', observedGeneration: 3 },
      ],
    },
    'a changed status moves lastTransitionTime to now': {
      existing: [before('False')],
      want: [{ status: 'True', lastTransitionTime: '2026-03-01T10:00:00Z' }],
    },
    'a condition type of another controller is kept after ours': {
      existing: [before('True', 'example.com/Healthy')],
      want: [{ type: 'Accepted' }, { type: 'example.com/Healthy', reason: 'Old' }],
    },
    'an owned condition no longer wanted (PartiallyInvalid) is removed': {
      existing: [before('True', 'PartiallyInvalid')],
      want: [{ type: 'Accepted' }],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { existing, want }) => {
    const merged = mergeConditions([accepted], existing, OWNED_CONDITION_TYPES, 3, now);
    expect(merged).toHaveLength(want.length);
    want.forEach((w, i) => {
      expect(merged[i]).toMatchObject(w);
    });
  });

  it('omits observedGeneration when the object has no generation (File provider objects)', () => {
    expect(mergeConditions([accepted], undefined, OWNED_CONDITION_TYPES, undefined, now)[0]).not.toHaveProperty(
      'observedGeneration',
    );
  });

  it('formats times as RFC 3339 seconds', () => {
    expect(formatTime(now)).toBe('2026-03-01T10:00:00Z');
  });
});
