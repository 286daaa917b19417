# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # root and the helpers come from bin/fleet; '$Latest' is AWS's literal
# Sourced by bin/fleet: `roll` and `rollback` of workers or coordinators on AWS.
#
# A role (workers, coordinators) runs as an EC2 Auto Scaling group whose
# launch template names the machine image. Rolling to an image is: a new
# launch template version with the image, then an instance refresh that
# launches a batch of new machines first (MaxHealthyPercentage above 100), lets
# them warm up, and only then terminates as many old ones; a terminated
# machine shuts down, systemd stops the service, and SIGTERM drains it. The
# refresh pauses at checkpoints while `bin/fleet watch` reads the signals; bad
# signals stop it (or roll it back with --auto-rollback). Rolling back is the
# same path with the previous image (or AWS's own rollback of a refresh still
# running). Every roll is recorded in .polyrun/fleet/<group>.history.
# Needs the AWS CLI v2 and credentials allowed to call ec2 and autoscaling.

roll_usage() {
  cat <<'EOF'
usage: bin/fleet roll workers|coordinators --image IMAGE [options]
       bin/fleet rollback workers|coordinators [--to IMAGE] [options]

  --group NAME        Auto Scaling group (default $POLYRUN_FLEET_WORKERS_GROUP /
                      $POLYRUN_FLEET_COORDINATORS_GROUP)
  --template ID       its launch template (default $POLYRUN_FLEET_WORKERS_TEMPLATE /
                      $POLYRUN_FLEET_COORDINATORS_TEMPLATE)
  --release DIR       the release the image was baked from (recorded; default dist/latest)
  --batch PERCENT     machines added, then removed, at a time, as a share of the group (default 20)
  --warmup SECONDS    time a new machine gets before it counts (default 120)
  --checkpoints LIST  percentages at which the refresh pauses (default 20,50,100)
  --soak SECONDS      length of each pause (default 300)
  --redis URL         the cluster's Redis for `bin/fleet watch` (default $POLYRUN_FLEET_REDIS;
                      password in the URL or REDISCLI_AUTH)
  --metrics URL       a Prometheus endpoint for `bin/fleet watch`, repeatable
                      (default $POLYRUN_FLEET_METRICS, space separated)
  --auto-rollback     on bad signals, roll back at once instead of stopping
  --force             roll even when the signals are bad before the start
  --dry-run           print the AWS calls that change something instead of making them
EOF
}

roll_parse() { # ROLE ARGS...: sets the roll_* variables
  roll_role=${1:-}
  case $roll_role in
    workers|coordinators) shift ;;
    -h|--help) roll_usage; exit 0 ;;
    *) roll_usage >&2; exit 2 ;;
  esac
  local upper=${roll_role^^}
  local group_var=POLYRUN_FLEET_${upper}_GROUP template_var=POLYRUN_FLEET_${upper}_TEMPLATE
  roll_group=${!group_var:-} roll_template=${!template_var:-} roll_image="" roll_release="$root/dist/latest"
  roll_batch=20 roll_warmup=120 roll_checkpoints=20,50,100 roll_soak=300 roll_auto_rollback=0 roll_force=0
  roll_dry_run=0 roll_redis=${POLYRUN_FLEET_REDIS:-}
  read -r -a roll_metrics <<<"${POLYRUN_FLEET_METRICS:-}"
  while [ $# -gt 0 ]; do
    case $1 in
      --image|--to) roll_image=$2; shift 2 ;;
      --group) roll_group=$2; shift 2 ;;
      --template) roll_template=$2; shift 2 ;;
      --release) roll_release=$2; shift 2 ;;
      --batch) roll_batch=$2; shift 2 ;;
      --warmup) roll_warmup=$2; shift 2 ;;
      --checkpoints) roll_checkpoints=$2; shift 2 ;;
      --soak) roll_soak=$2; shift 2 ;;
      --redis) roll_redis=$2; shift 2 ;;
      --metrics) roll_metrics+=("$2"); shift 2 ;;
      --auto-rollback) roll_auto_rollback=1; shift ;;
      --force) roll_force=1; shift ;;
      --dry-run) roll_dry_run=1; shift ;;
      -h|--help) roll_usage; exit 0 ;;
      *) roll_usage >&2; exit 2 ;;
    esac
  done
  [ -n "$roll_group" ] || die "no Auto Scaling group (--group or POLYRUN_FLEET_${upper}_GROUP)"
  [ -n "$roll_template" ] || die "no launch template (--template or POLYRUN_FLEET_${upper}_TEMPLATE)"
  if ! [[ $roll_batch =~ ^[0-9]+$ ]] || [ "$roll_batch" -lt 1 ] || [ "$roll_batch" -gt 100 ]; then
    die "--batch: '$roll_batch' (expected: a percentage from 1 to 100)"
  fi
  [[ $roll_checkpoints =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--checkpoints: '$roll_checkpoints' (expected: like 20,50,100)"
  [[ $roll_warmup =~ ^[0-9]+$ && $roll_soak =~ ^[0-9]+$ ]] || die "--warmup and --soak: seconds"
  roll_history=$root/.polyrun/fleet/$roll_group.history
  if [ $roll_dry_run -eq 0 ]; then command -v aws >/dev/null || die "the AWS CLI (aws) is not installed"; fi
}

# aws_read ARGS...: a call that changes nothing (made in a dry run too, when possible).
aws_read() { aws "$@"; }

# aws_change ARGS...: a call that changes something; printed instead in a dry run.
aws_change() {
  if [ "$roll_dry_run" -eq 1 ]; then
    { printf 'dry-run: aws'; printf ' %q' "$@"; printf '\n'; } >&2
    echo "dry-run-id"
  else
    aws "$@"
  fi
}

# The signals, once; 0 when healthy or when nothing is configured to watch.
roll_signals_ok() {
  local -a args=(--once)
  [ -n "$roll_redis" ] && args+=(--redis "$roll_redis")
  local m
  for m in "${roll_metrics[@]}"; do args+=(--metrics "$m"); done
  [ ${#args[@]} -gt 1 ] || return 0
  "$root/bin/fleet" watch "${args[@]}" >&2
}

roll_release_id() {
  local id=""
  [ -f "$roll_release/release.json" ] &&
    id=$(sed -n 's/.*"polyrun_release_id": *"\([^"]*\)".*/\1/p' "$roll_release/release.json")
  echo "${id:-unknown}"
}

roll_record() { # FROM TO STATUS: one line "time role from to release status"
  if [ "$roll_dry_run" -eq 1 ]; then say "dry-run: history: $1 -> $2 $3"; return 0; fi
  mkdir -p "$(dirname "$roll_history")"
  printf '%s %s %s %s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$roll_role" "$1" "$2" "$(roll_release_id)" "$3" \
    >>"$roll_history"
}

roll_current_image() {
  if [ "$roll_dry_run" -eq 1 ]; then
    # A dry run without AWS access still shows what it would do.
    aws_read ec2 describe-launch-template-versions --launch-template-id "$roll_template" --versions '$Latest' \
      --query 'LaunchTemplateVersions[0].LaunchTemplateData.ImageId' --output text 2>/dev/null || echo "(current image)"
    return 0
  fi
  aws_read ec2 describe-launch-template-versions --launch-template-id "$roll_template" --versions '$Latest' \
    --query 'LaunchTemplateVersions[0].LaunchTemplateData.ImageId' --output text
}

# Follows a refresh until it ends; watches the signals meanwhile. 0 when it succeeded.
roll_follow() { # REFRESH-ID
  local id=$1 status percent bad=0
  [ "$roll_dry_run" -eq 0 ] || return 0
  while true; do
    read -r status percent < <(aws_read autoscaling describe-instance-refreshes --auto-scaling-group-name "$roll_group" \
      --instance-refresh-ids "$id" --query 'InstanceRefreshes[0].[Status,PercentageComplete]' --output text)
    say "$(date -u +%H:%M:%S) $roll_group: refresh $id $status ${percent:-0}%"
    case $status in
      Successful|RollbackSuccessful) return 0 ;;
      Failed|Cancelled|RollbackFailed) return 1 ;;
    esac
    if roll_signals_ok; then bad=0; else bad=$((bad + 1)); fi
    if [ $bad -ge 2 ] && [ "$status" != RollbackInProgress ]; then
      if [ "$roll_auto_rollback" -eq 1 ]; then
        say "fleet: bad signals twice in a row: rolling back"
        aws_change autoscaling rollback-instance-refresh --auto-scaling-group-name "$roll_group" >/dev/null
        bad=0
      else
        say "fleet: bad signals twice in a row: the refresh is cancelled (machines replaced so far stay)."
        say "  roll back with: bin/fleet rollback $roll_role --group $roll_group --template $roll_template"
        aws_change autoscaling cancel-instance-refresh --auto-scaling-group-name "$roll_group" >/dev/null
        return 1
      fi
    fi
    sleep 30
  done
}

roll_start() { # IMAGE: the launch template version and the refresh
  local image=$1 from id
  from=$(roll_current_image)
  if [ "$from" = "$image" ]; then
    say "fleet: $roll_group already runs $image"
    return 0
  fi
  if ! roll_signals_ok && [ "$roll_force" -eq 0 ]; then
    die "the signals are bad before the start; fix them first, or --force"
  fi
  say "fleet: $roll_group: $from -> $image, $roll_batch% at a time, warm-up ${roll_warmup}s, pauses of ${roll_soak}s at $roll_checkpoints%"
  aws_change ec2 create-launch-template-version --launch-template-id "$roll_template" --source-version '$Latest' \
    --version-description "polyrun $(roll_release_id)" \
    --launch-template-data "{\"ImageId\":\"$image\"}" >/dev/null
  id=$(aws_change autoscaling start-instance-refresh --auto-scaling-group-name "$roll_group" --strategy Rolling \
    --desired-configuration "{\"LaunchTemplate\":{\"LaunchTemplateId\":\"$roll_template\",\"Version\":\"\$Latest\"}}" \
    --preferences "{\"MinHealthyPercentage\":100,\"MaxHealthyPercentage\":$((100 + roll_batch)),\"InstanceWarmup\":$roll_warmup,\"SkipMatching\":true,\"CheckpointPercentages\":[$roll_checkpoints],\"CheckpointDelay\":$roll_soak}" \
    --query InstanceRefreshId --output text | tail -1)
  roll_record "$from" "$image" started
  if roll_follow "$id"; then
    roll_record "$from" "$image" "done"
    say "fleet: $roll_group runs $image"
  else
    roll_record "$from" "$image" stopped
    return 1
  fi
}

fleet_roll() {
  roll_parse "$@"
  [ -n "$roll_image" ] || die "no image (--image IMAGE, e.g. from \$release/packer-manifest.json)"
  roll_start "$roll_image"
}

fleet_rollback() {
  roll_parse "$@"
  local running=""
  if [ "$roll_dry_run" -eq 0 ]; then
    running=$(aws_read autoscaling describe-instance-refreshes --auto-scaling-group-name "$roll_group" \
      --query "InstanceRefreshes[?Status=='InProgress' || Status=='Pending' || Status=='Baking'].InstanceRefreshId | [0]" \
      --output text)
  fi
  if [ -n "$running" ] && [ "$running" != None ]; then
    say "fleet: $roll_group: refresh $running still runs: AWS rolls it back to the previous launch template"
    aws_change autoscaling rollback-instance-refresh --auto-scaling-group-name "$roll_group" >/dev/null
    roll_follow "$running"
    return
  fi
  if [ -z "$roll_image" ]; then
    [ -f "$roll_history" ] || die "no history of $roll_group ($roll_history); name the image with --to"
    # The image the last finished roll replaced.
    roll_image=$(awk '$6 == "done" { image = $3 } END { print image }' "$roll_history")
    [ -n "$roll_image" ] || die "$roll_history holds no finished roll; name the image with --to"
  fi
  say "fleet: rolling $roll_group back to $roll_image"
  roll_force=1
  roll_start "$roll_image"
}
