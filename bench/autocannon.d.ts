// The part of autocannon's results the benchmarks read (it ships no types).
declare module 'autocannon' {
  interface Result {
    '2xx': number;
    non2xx: number;
    errors: number;
    requests: { average: number };
    latency: { p50: number; p99: number };
  }
  export default function autocannon(options: Record<string, unknown>): Promise<Result>;
}
