/** What the header's breadcrumb shows after the grid list: the open grid's name, if any. */
export const crumbs = $state<{ grid: string | null }>({ grid: null });
