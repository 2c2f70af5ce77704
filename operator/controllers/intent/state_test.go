package intent

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/wido-dev/wido/abi/actuator"
	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/telemetry"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// fakeMeasurer answers queries from a table; unknown queries fail.
type fakeMeasurer map[string]float64

func (f fakeMeasurer) Measure(_ context.Context, endpoint, query string) (telemetry.Measurement, error) {
	if v, ok := f[endpoint+query]; ok {
		return telemetry.Measurement{Value: v, Time: now}, nil
	}
	return telemetry.Measurement{}, &telemetry.UnknownError{Query: query, Reason: telemetry.NoData}
}

func testIntent() *widov1.Intent {
	return &widov1.Intent{
		ObjectMeta: metav1.ObjectMeta{Name: "frontend", Namespace: "shop"},
		Spec: widov1.IntentSpec{
			TargetRef: widov1.TargetRef{Kind: widov1.Deployment, Name: "frontend"},
			Priority:  0.5,
			Objectives: []widov1.Objective{
				{Name: "p99", Value: 30, MeasuredBy: "p99latency", Tolerance: 0.1},
				{Name: "availability", Value: 0.999, MeasuredBy: "availability"},
				{Name: "rps", Value: 100, MeasuredBy: "throughput"},
			},
		},
	}
}

func testProfiles() map[string]*widov1.KPIProfile {
	return map[string]*widov1.KPIProfile{
		"p99latency":   {ObjectMeta: metav1.ObjectMeta{Name: "p99latency"}, Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `lat{ns="{{.Namespace}}",d="{{.Name}}"}`}},
		"availability": {ObjectMeta: metav1.ObjectMeta{Name: "availability"}, Spec: widov1.KPIProfileSpec{Type: widov1.Availability}},
		"throughput":   {ObjectMeta: metav1.ObjectMeta{Name: "throughput"}, Spec: widov1.KPIProfileSpec{Type: widov1.Throughput, Query: `rps`, Endpoint: "http://other"}},
	}
}

func runningPod(name string) corev1.Pod {
	return corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       corev1.PodSpec{NodeName: "node-1"},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, QOSClass: corev1.PodQOSGuaranteed,
			StartTime: &metav1.Time{Time: now.Add(-time.Hour)}},
	}
}

func TestMeasure(t *testing.T) {
	w := Workload{Kind: "Deployment", Namespace: "shop", Name: "frontend", Pods: []corev1.Pod{runningPod("a")}}
	tests := []struct {
		name     string
		measurer fakeMeasurer
		profiles func(map[string]*widov1.KPIProfile)
		want     []Measured
	}{
		{name: "every objective measured",
			measurer: fakeMeasurer{`lat{ns="shop",d="frontend"}`: 42, "http://otherrps": 120},
			want:     []Measured{{Name: "p99", Value: 42, Known: true, Time: now}, {Name: "availability", Value: 1, Known: true, Time: now}, {Name: "rps", Value: 120, Known: true, Time: now}}},
		{name: "a query without data is unknown",
			measurer: fakeMeasurer{"http://otherrps": 120},
			want:     []Measured{{Name: "p99", Reason: "NoData", Message: "KPIProfile p99latency: telemetry: NoData"}, {Name: "availability", Value: 1, Known: true, Time: now}, {Name: "rps", Value: 120, Known: true, Time: now}}},
		{name: "a missing profile is unknown",
			measurer: fakeMeasurer{`lat{ns="shop",d="frontend"}`: 42},
			profiles: func(p map[string]*widov1.KPIProfile) { delete(p, "throughput") },
			want:     []Measured{{Name: "p99", Value: 42, Known: true, Time: now}, {Name: "availability", Value: 1, Known: true, Time: now}, {Name: "rps", Reason: "ProfileMissing", Message: `KPIProfile "throughput" not found in namespace shop`}}},
		{name: "a broken template is unknown",
			measurer: fakeMeasurer{"http://otherrps": 1},
			profiles: func(p map[string]*widov1.KPIProfile) { p["p99latency"].Spec.Query = "{{.X}}" },
			want:     []Measured{{Name: "p99", Reason: "InvalidTemplate"}, {Name: "availability", Value: 1, Known: true, Time: now}, {Name: "rps", Value: 1, Known: true, Time: now}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			profiles := testProfiles()
			if tc.profiles != nil {
				tc.profiles(profiles)
			}
			got := measure(context.Background(), tc.measurer, testIntent(), profiles, w, now)
			for i := range got {
				if !strings.HasPrefix(got[i].Message, tc.want[i].Message) {
					t.Errorf("%s: message %q, want prefix %q", got[i].Name, got[i].Message, tc.want[i].Message)
				}
				got[i].Message, tc.want[i].Message = "", ""
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("measure() = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestProblem(t *testing.T) {
	terminating := runningPod("c")
	terminating.DeletionTimestamp = &metav1.Time{Time: now}
	w := Workload{Kind: "Deployment", Namespace: "shop", Name: "frontend",
		Pods: []corev1.Pod{runningPod("a"), runningPod("b"), terminating},
		Containers: []corev1.Container{{Name: "app", Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")},
		}}}}
	ms := []Measured{{Name: "p99", Value: 42, Known: true}, {Name: "availability", Value: 1, Known: true}, {Name: "rps", Reason: "NoData"}}
	current, goal, profs := problem(testIntent(), testProfiles(), w, ms, now)

	wantCurrent := actuator.Intent{Key: "shop/frontend", Priority: 0.5, TargetKey: "shop/frontend", TargetKind: "Deployment",
		Objectives: map[string]float64{"p99": 42, "availability": 1}}
	if !reflect.DeepEqual(current.Intent, wantCurrent) {
		t.Errorf("current intent = %+v, want %+v (rps unknown: absent)", current.Intent, wantCurrent)
	}
	if goal.Intent.Objectives["rps"] != 100 || goal.Intent.Tolerances["p99"] != 0.1 || len(goal.Intent.Tolerances) != 1 {
		t.Errorf("goal = %+v", goal.Intent)
	}
	wantProfs := map[string]actuator.Profile{"p99": {Type: actuator.Latency, Minimize: true}, "availability": {Type: actuator.Availability}, "rps": {Type: actuator.Throughput}}
	if !reflect.DeepEqual(profs, wantProfs) {
		t.Errorf("profiles = %+v, want %+v", profs, wantProfs)
	}
	if len(current.Pods) != 2 || current.Pods["a"] != (actuator.PodState{Availability: 1, NodeName: "node-1", State: "Running", QoSClass: "Guaranteed"}) {
		t.Errorf("pods = %+v; want a and b, not the terminating c", current.Pods)
	}
	if want := map[string]int64{"app_cpu_requests": 500, "app_cpu_limits": 1000}; !reflect.DeepEqual(current.Resources, want) {
		t.Errorf("resources = %v, want %v", current.Resources, want)
	}
	p := testProfiles()["p99latency"]
	p.Spec.Minimize = ptr.To(false)
	if profileOf(p).Minimize {
		t.Error("an explicit minimize: false is ignored")
	}
}
