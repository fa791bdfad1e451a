/**
 * An OpenTelemetry rig for the tests of `authnzerver/otel` (test/observe/otel*.test.ts): an instrumentation with
 * its own in-memory span exporter and metric reader.
 */
import { MeterProvider, MetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  DURATION_METRIC,
  instrumentAuthnzerver,
  type AuthnzerverInstrumentation,
  type OtelOptions,
} from '../../src/observe/otel.js';

/** A metric reader that the test collects from when it wants. */
class TestMetricReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** An instrumentation with its own in-memory exporter and metric reader. */
export interface Rig {
  readonly exporter: InMemorySpanExporter;
  readonly tracerProvider: BasicTracerProvider;
  readonly reader: TestMetricReader;
  readonly meterProvider: MeterProvider;
  readonly otel: AuthnzerverInstrumentation;
  /** The spans finished since the last call, and forgets them. */
  take(): Promise<ReadableSpan[]>;
  /** The duration histogram's points (cumulative). */
  points(): Promise<HistogramMetricData['dataPoints']>;
  close(): Promise<void>;
}

export function rig(options: Omit<OtelOptions, 'tracerProvider' | 'meterProvider'> = {}): Rig {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const otel = instrumentAuthnzerver({ ...options, tracerProvider, meterProvider });
  return {
    exporter,
    tracerProvider,
    reader,
    meterProvider,
    otel,
    async take() {
      await tracerProvider.forceFlush();
      const spans = exporter.getFinishedSpans();
      exporter.reset();
      return spans;
    },
    async points() {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === DURATION_METRIC);
      return (metric as HistogramMetricData | undefined)?.dataPoints ?? [];
    },
    async close() {
      otel.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

export const retryEvents = (span: ReadableSpan): ReadableSpan['events'] =>
  span.events.filter((e) => e.name === 'retry');
