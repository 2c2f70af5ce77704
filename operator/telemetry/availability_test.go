package telemetry

import (
	"math"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var t0 = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// pod is a running pod started an hour before t0 with one container.
func pod(mods ...func(*corev1.Pod)) corev1.Pod {
	p := corev1.Pod{Status: corev1.PodStatus{
		Phase:             corev1.PodRunning,
		StartTime:         &metav1.Time{Time: t0.Add(-time.Hour)},
		ContainerStatuses: []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Time{Time: t0.Add(-time.Hour)}}}}},
	}}
	for _, m := range mods {
		m(&p)
	}
	return p
}

// restarted gives the container n restarts, the last one down for d and
// running again since.
func restarted(n int32, d time.Duration) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		cs := &p.Status.ContainerStatuses[0]
		cs.RestartCount = n
		finished := t0.Add(-10 * time.Minute)
		cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{FinishedAt: metav1.Time{Time: finished}}
		cs.State.Running.StartedAt = metav1.Time{Time: finished.Add(d)}
	}
}

func TestPodAvailability(t *testing.T) {
	tests := []struct {
		name string
		pod  corev1.Pod
		want float64
	}{
		{"running, never restarted", pod(), 1},
		{"one restart down a minute in an hour", pod(restarted(1, time.Minute)), 60.0 / 61},
		{"four restarts, each down a minute", pod(restarted(4, time.Minute)), 15.0 / 16},
		{"down right now (crash loop)", pod(restarted(1, 0), func(p *corev1.Pod) {
			p.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
		}), 60.0 / 70},
		{"pending", pod(func(p *corev1.Pod) { p.Status.Phase = corev1.PodPending }), 0},
		{"not started", pod(func(p *corev1.Pod) { p.Status.StartTime = nil }), 0},
		{"terminating", pod(func(p *corev1.Pod) { p.DeletionTimestamp = &metav1.Time{Time: t0} }), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PodAvailability(&tc.pod, t0); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("PodAvailability = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAvailabilityCombinesReplicas(t *testing.T) {
	half := pod(restarted(1, 60*time.Minute)) // MTBF 60 min, MTTR 60 min: 0.5
	tests := []struct {
		name string
		pods []corev1.Pod
		want float64
	}{
		{"no pods", nil, 0},
		{"one pod at 0.5", []corev1.Pod{half}, 0.5},
		{"two pods at 0.5", []corev1.Pod{half, half}, 0.75},
		{"a healthy pod makes it 1", []corev1.Pod{half, pod()}, 1},
		{"a pending pod adds nothing", []corev1.Pod{half, pod(func(p *corev1.Pod) { p.Status.Phase = corev1.PodPending })}, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Availability(tc.pods, t0); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("Availability = %v, want %v", got, tc.want)
			}
		})
	}
}
