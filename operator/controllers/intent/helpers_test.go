package intent

import (
	"context"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/wido-dev/wido/abi/actuator"
)

// goldenModels is IDO's golden-case scale-out model for the objective p99
// (deploy/samples/models.yaml): at 4800 requests/s, 2 pods are too slow for
// 30 ms and 4 are enough.
func goldenModels() map[string]actuator.Models {
	return map[string]actuator.Models{"scaleOut": {"p99": {
		"popt":            {0.306355135, 0.193240314, 53.0816499, 0.0147372746},
		"throughputScale": {0.002143905536223758, 0.9993568283391329},
		"throughputRange": {0.3, 6064},
		"replicaRange":    {1, 12},
	}}}
}

// createWorkload creates Deployment namespace/name (2 replicas, selector
// app=name) and its running pods: envtest runs no controllers, so tests
// play the ReplicaSet controller and the kubelet.
func createWorkload(ctx context.Context, c client.Client, namespace, name string, pods ...string) error {
	labels := map[string]string{"app": name}
	err := c.Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](2),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app"}}}}},
	})
	if err != nil {
		return err
	}
	return addRunningPods(ctx, c, namespace, name, pods...)
}

// addRunningPods creates pods labelled app=app, Running for an hour.
func addRunningPods(ctx context.Context, c client.Client, namespace, app string, names ...string) error {
	for _, n := range names {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: n, Namespace: namespace, Labels: map[string]string{"app": app}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app"}}}}
		if err := c.Create(ctx, p); err != nil {
			return err
		}
		p.Status = corev1.PodStatus{Phase: corev1.PodRunning, StartTime: &metav1.Time{Time: time.Now().Add(-time.Hour)}}
		if err := c.Status().Update(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
