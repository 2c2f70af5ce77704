package telemetry

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// PodAvailability is a pod's availability as IDO defines it, MTBF / (MTBF +
// MTTR) over the pod's life:
//   - MTBF is the pod's age divided by its containers' restarts;
//   - MTTR is the mean time a restarted container was down: from its last
//     termination to its restart, or, while it is still down (e.g. in
//     CrashLoopBackOff), until now.
//
// A running pod that never restarted is 1. A pod that has not started, or
// has failed or succeeded, is 0: it serves nothing.
func PodAvailability(pod *corev1.Pod, now time.Time) float64 {
	if pod.Status.StartTime == nil || pod.Status.Phase != corev1.PodRunning || pod.DeletionTimestamp != nil {
		return 0
	}
	life := now.Sub(pod.Status.StartTime.Time)
	var restarts int32
	var down time.Duration
	var repairs int
	for _, cs := range pod.Status.ContainerStatuses {
		restarts += cs.RestartCount
		last := cs.LastTerminationState.Terminated
		if last == nil || cs.RestartCount == 0 {
			continue
		}
		end := now
		if cs.State.Running != nil {
			end = cs.State.Running.StartedAt.Time
		}
		if d := end.Sub(last.FinishedAt.Time); d > 0 {
			down += d
		}
		repairs++
	}
	if restarts == 0 {
		return 1
	}
	if life <= 0 {
		return 0
	}
	mtbf := float64(life) / float64(restarts)
	mttr := 0.0
	if repairs > 0 {
		mttr = float64(down) / float64(repairs)
	}
	if mtbf+mttr <= 0 {
		return 0
	}
	return mtbf / (mtbf + mttr)
}

// Availability combines the availability of a workload's pods as IDO
// does, as redundant replicas: 1 − Π(1 − A_i). With no pods it is 0.
func Availability(pods []corev1.Pod, now time.Time) float64 {
	unavailable := 1.0
	for i := range pods {
		unavailable *= 1 - PodAvailability(&pods[i], now)
	}
	return 1 - unavailable
}
