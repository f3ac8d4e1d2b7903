/**
 * Direction of a hypothesis test, with scipy's names. For two-sample tests `'greater'` means the
 * first sample tends to be larger than the second; for one-sample (paired) tests it means the
 * differences tend to be positive.
 */
export type Alternative = 'greater' | 'less' | 'two-sided';

/** How a p-value was obtained: from the exact null distribution or the normal approximation. */
export type TestMethod = 'exact' | 'asymptotic';

/** What the caller asks for; `'auto'` lets the test choose (each test documents its rule). */
export type MethodChoice = 'auto' | TestMethod;
