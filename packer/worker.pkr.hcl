# Bakes the polyrun worker machine image (or, with -var role=coordinator, the
# coordinator's): a fresh Debian 13 machine, provisioned by the Ansible
# playbook (ansible/site.yml, group polyrun_workers or polyrun_coordinators)
# with one release (the folder `bin/fleet release` wrote), then saved as an image:
#   - amazon-ebs.amd64, amazon-ebs.arm64: Amazon machine images (x86_64, arm64)
#     from Debian's official images;
#   - qemu.amd64: a qcow2 disk image from Debian's generic cloud image.
# What went in is recorded on the image (/etc/polyrun/manifest.json, copied to
# <release>/manifest-<source>.json) and in <release>/packer-manifest.json.
# Reads with Packer 1.6.6 (Debian 12) and newer; with Packer 1.10+ install the
# plugins first (ansible/README.md).
#
#   bin/fleet bake --release dist/latest [--role coordinator] [--only aws-amd64,aws-arm64,qemu]

locals {
  release = jsondecode(file("${var.release_dir}/release.json"))
  images  = join(" ", [for i in local.release.polyrun_images : "${i.name}@${i.version}=${i.hash}"])
  stamp   = formatdate("YYYYMMDD-hhmmss", timestamp())
  name    = "polyrun-${var.role}-${local.release.polyrun_release_id}-${local.stamp}"
  group   = var.role == "coordinator" ? "polyrun_coordinators" : "polyrun_workers"
  tags = {
    "Name"            = "polyrun-${var.role}"
    "polyrun:role"    = var.role
    "polyrun:release" = local.release.polyrun_release_id
    "polyrun:version" = local.release.polyrun_version
    "polyrun:commit"  = local.release.polyrun_commit
  }
  playbook_args = concat(
    ["--extra-vars", "@${var.release_dir}/release.json"],
    flatten([for f in var.ansible_extra_vars_files : ["--extra-vars", "@${f}"]]),
    var.ansible_extra_arguments,
  )
}

source "amazon-ebs" "amd64" {
  region        = var.aws_region
  instance_type = var.aws_instance_type_amd64
  subnet_id     = var.aws_subnet_id
  source_ami_filter {
    filters = {
      name                = "debian-${var.debian_release}-amd64-*"
      architecture        = "x86_64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = [var.debian_ami_owner]
    most_recent = true
  }
  ssh_username    = "admin"
  ami_name        = "${local.name}-amd64"
  ami_description = "polyrun ${var.role} ${local.release.polyrun_release_id} (x86_64)"
  encrypt_boot    = var.aws_encrypt_boot
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.aws_volume_size
    volume_type           = "gp3"
    iops                  = 3000
    throughput            = 125
    delete_on_termination = true
  }
  tags          = merge(local.tags, { "polyrun:arch" = "amd64" })
  snapshot_tags = merge(local.tags, { "polyrun:arch" = "amd64" })
  run_tags      = merge(local.tags, { "Name" = "packer polyrun-${var.role} amd64" })
}

source "amazon-ebs" "arm64" {
  region        = var.aws_region
  instance_type = var.aws_instance_type_arm64
  subnet_id     = var.aws_subnet_id
  source_ami_filter {
    filters = {
      name                = "debian-${var.debian_release}-arm64-*"
      architecture        = "arm64"
      virtualization-type = "hvm"
      root-device-type    = "ebs"
    }
    owners      = [var.debian_ami_owner]
    most_recent = true
  }
  ssh_username    = "admin"
  ami_name        = "${local.name}-arm64"
  ami_description = "polyrun ${var.role} ${local.release.polyrun_release_id} (arm64)"
  encrypt_boot    = var.aws_encrypt_boot
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = var.aws_volume_size
    volume_type           = "gp3"
    iops                  = 3000
    throughput            = 125
    delete_on_termination = true
  }
  tags          = merge(local.tags, { "polyrun:arch" = "arm64" })
  snapshot_tags = merge(local.tags, { "polyrun:arch" = "arm64" })
  run_tags      = merge(local.tags, { "Name" = "packer polyrun-${var.role} arm64" })
}

# Debian's generic cloud image, booted with a cloud-init seed (cloud-init/) that
# creates the throwaway "packer" build user; the shutdown removes it again.
source "qemu" "amd64" {
  iso_url          = var.qemu_image_url
  iso_checksum     = var.qemu_image_checksum
  disk_image       = true
  disk_size        = var.qemu_disk_size
  format           = "qcow2"
  accelerator      = var.qemu_accelerator
  headless         = true
  memory           = 2048
  cpus             = 2
  net_device       = "virtio-net"
  disk_interface   = "virtio"
  cd_files         = ["${path.root}/cloud-init/user-data", "${path.root}/cloud-init/meta-data"]
  cd_label         = "cidata"
  ssh_username     = "packer"
  ssh_password     = "polyrun-bake"
  ssh_timeout      = "30m"
  output_directory = "${var.qemu_output_dir}/${local.name}"
  vm_name          = "${local.name}.qcow2"
  shutdown_command = "sudo sh -c 'rm -f /etc/sudoers.d/90-cloud-init-users /etc/ssh/sshd_config.d/50-cloud-init.conf; cloud-init clean --logs; (sleep 2; userdel -rf packer; shutdown -P now) >/dev/null 2>&1 &'"
}

build {
  name = "polyrun"
  sources = [
    "source.amazon-ebs.amd64",
    "source.amazon-ebs.arm64",
    "source.qemu.amd64",
  ]

  # apt and cloud-init must not race: let the first boot finish.
  provisioner "shell" {
    inline = ["cloud-init status --wait >/dev/null || true"]
  }

  provisioner "ansible" {
    playbook_file = "${path.root}/../ansible/site.yml"
    groups        = [local.group]
    use_proxy     = false
    ansible_env_vars = [
      "ANSIBLE_CONFIG=${path.root}/../ansible/ansible.cfg",
      "ANSIBLE_HOST_KEY_CHECKING=False",
    ]
    extra_arguments = local.playbook_args
  }

  provisioner "file" {
    direction   = "download"
    source      = "/etc/polyrun/manifest.json"
    destination = "${var.release_dir}/manifest-${source.type}-${source.name}.json"
  }

  # A machine booted from the image starts as a new instance: fresh host keys,
  # cloud-init runs again, no package lists or logs of the bake.
  provisioner "shell" {
    inline = [
      "sudo apt-get clean",
      "sudo rm -rf /var/lib/apt/lists/* /var/log/polyrun* /root/.ansible",
      "sudo cloud-init clean --logs",
    ]
  }

  post-processor "manifest" {
    output     = "${var.release_dir}/packer-manifest.json"
    strip_path = true
    custom_data = {
      role    = var.role
      release = local.release.polyrun_release_id
      version = local.release.polyrun_version
      commit  = local.release.polyrun_commit
      images  = local.images
    }
  }
}
