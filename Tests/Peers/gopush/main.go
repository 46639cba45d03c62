// gopush pushes an engine's metrics with the Go client's push package, unchanged, so tests can
// compare what Klaxon and the real Pushgateway make of the same push (protobuf, delimited).
//
//	gopush URL push|add|delete STEP
//
// push: counter, gauge vector, histogram and summary with .Push() (PUT); add: a gauge vector and a
// new gauge with .Add() (POST); delete: .Delete(). STEP scales every value, so steps differ.
// The grouping key is job="engine", venue="binance" (no instance).
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: gopush URL push|add|delete STEP")
		os.Exit(2)
	}
	url, action := os.Args[1], os.Args[2]
	step, err := strconv.Atoi(os.Args[3])
	if err != nil || step < 1 {
		fmt.Fprintln(os.Stderr, "STEP must be a positive integer")
		os.Exit(2)
	}
	registry := prometheus.NewRegistry()
	depth := prometheus.NewGaugeVec(
		prometheus.GaugeOpts{Name: "engine_queue_depth", Help: "Orders waiting."}, []string{"queue"})
	depth.WithLabelValues("orders").Set(float64(12 + step))
	depth.WithLabelValues("cancels").Set(float64(step) / 4)
	registry.MustRegister(depth)
	pusher := push.New(url, "engine").Gatherer(registry).Grouping("venue", "binance")
	switch action {
	case "push":
		fills := prometheus.NewCounter(prometheus.CounterOpts{Name: "engine_fills_total", Help: "Fills so far."})
		fills.Add(float64(3 * step))
		loop := prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "engine_loop_seconds", Help: "Loop time.", Buckets: []float64{0.001, 0.01, 0.1, 1},
		})
		spread := prometheus.NewSummary(prometheus.SummaryOpts{
			Name: "engine_spread_bps", Help: "Spread.", Objectives: map[float64]float64{0.5: 0.05, 0.99: 0.001},
		})
		for i := 0; i < 10*step; i++ {
			loop.Observe(float64(i%7) * 0.004)
			spread.Observe(float64(i%5) + 0.5)
		}
		registry.MustRegister(fills, loop, spread)
		err = pusher.Push()
	case "add":
		mode := prometheus.NewGauge(prometheus.GaugeOpts{Name: "engine_mode", Help: "Trading mode."})
		mode.Set(float64(step))
		registry.MustRegister(mode)
		err = pusher.Add()
	case "delete":
		err = pusher.Delete()
	default:
		fmt.Fprintln(os.Stderr, "unknown action", action)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
