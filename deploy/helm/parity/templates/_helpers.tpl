{{/* Names and labels shared by every Parity manifest. */}}
{{- define "parity.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "parity.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "parity.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Where the api finds Qdrant: the in-chart cluster when enabled, else the external URL. */}}
{{- define "parity.qdrantUrl" -}}
{{- if .Values.qdrant.enabled -}}
{{- printf "http://%s:6333" .Values.qdrant.fullnameOverride -}}
{{- else -}}
{{- .Values.qdrant.externalUrl -}}
{{- end -}}
{{- end -}}

{{/* Where the api finds the model server: an explicit base (a router), else the in-chart vLLM. */}}
{{- define "parity.llmApiBase" -}}
{{- if .Values.llm.externalApiBase -}}
{{- .Values.llm.externalApiBase -}}
{{- else -}}
{{- printf "http://%s-vllm:%d/v1" (include "parity.fullname" .) (int .Values.vllm.port) -}}
{{- end -}}
{{- end -}}

{{- define "parity.dataClaim" -}}
{{- default (printf "%s-data" (include "parity.fullname" .)) .Values.api.persistence.existingClaim -}}
{{- end -}}
