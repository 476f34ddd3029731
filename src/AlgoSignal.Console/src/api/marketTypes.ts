// Market data: symbol search, bars, the historical answer with its quality report, and the cache's numbers.

export interface SymbolMatch {
  symbol: string;
  description: string;
  type: string;
  exchange: string;
  currency: string;
}

export interface OhlcBar {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number | null;
  forming?: boolean;
}

export interface QualityFinding {
  dimension: string;
  rule: string;
  bar_time: string | null;
  detail: string;
}

export interface QualityReport {
  completeness: number;
  accuracy: number;
  consistency: number;
  timeliness: number;
  validity: number;
  uniqueness: number;
  level: string;
  findings: QualityFinding[];
}

export interface HistoricalAnswer {
  status: string;
  data: {
    symbol: string;
    timeframe: string;
    klines: { timestamp: number; open: number; high: number; low: number; close: number; volume: number | null }[];
  };
  metadata: {
    quality_score: number | null;
    quality: QualityReport | null;
    source: string;
    cached_at: string;
    count: number;
    has_volume: boolean;
  };
}

export interface CacheStats {
  memory_entries: number;
  memory_capacity: number;
  memory_bytes: number;
  memory_max_bytes: number;
  database_series: number;
  hits: { memory: number; database: number };
  misses: number;
  hit_rate: number;
}
