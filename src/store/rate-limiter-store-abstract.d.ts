/**
 * rate-limiter-flexible's base class for limiters kept in a shared store: its types name it, its index does not
 * export it (the package's own store limiters extend it from lib/). src/store/store-rate-limiter.ts extends it too.
 */
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js' {
  import type { RateLimiterStoreAbstract } from 'rate-limiter-flexible';

  const StoreAbstract: typeof RateLimiterStoreAbstract;
  export default StoreAbstract;
}
