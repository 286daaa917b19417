# Variables of worker.pkr.hcl. Only release_dir is required; set the others
# with -var NAME=VALUE or a -var-file (e.g. fleet.pkrvars.hcl).

variable "release_dir" {
  type        = string
  description = "The release folder written by `bin/fleet release` (holds release.json)."
}

variable "role" {
  type        = string
  default     = "worker"
  description = "worker or coordinator: the playbook's group, the image's name and tags."
}

variable "ansible_extra_vars_files" {
  type        = list(string)
  default     = []
  description = "More variable files for the playbook, e.g. the fleet's settings and its vault (the vault password from ANSIBLE_VAULT_PASSWORD_FILE)."
}

variable "ansible_extra_arguments" {
  type        = list(string)
  default     = []
  description = "More arguments for ansible-playbook, e.g. [\"--extra-vars\", \"polyrun_worker_slots=2\"]."
}

variable "debian_release" {
  type        = string
  default     = "13"
  description = "Debian release of the base image: 13 (trixie) packages the JRE 21 polyrun needs."
}

variable "debian_ami_owner" {
  type        = string
  default     = "136693071363"
  description = "AWS account of Debian's official images."
}

variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "aws_instance_type_amd64" {
  type    = string
  default = "t3.small"
}

variable "aws_instance_type_arm64" {
  type    = string
  default = "t4g.small"
}

variable "aws_subnet_id" {
  type        = string
  default     = ""
  description = "Subnet of the build machine; empty: the default VPC's."
}

variable "aws_volume_size" {
  type        = number
  default     = 32
  description = "Root volume in GiB: the OS, a JRE and every version of every language image (about 20 GB with all of them: each suite's base once, each image's own files)."
}

variable "aws_encrypt_boot" {
  type        = bool
  default     = true
  description = "Encrypt the image's snapshot (with the account's default EBS key)."
}

variable "qemu_image_url" {
  type    = string
  default = "https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2"
}

variable "qemu_image_checksum" {
  type    = string
  default = "file:https://cloud.debian.org/images/cloud/trixie/latest/SHA512SUMS"
}

variable "qemu_accelerator" {
  type        = string
  default     = "kvm"
  description = "kvm where /dev/kvm exists; tcg (emulation, many times slower) elsewhere."
}

variable "qemu_disk_size" {
  type        = string
  default     = "32G"
  description = "Disk of the QEMU image: as aws_volume_size."
}

variable "qemu_output_dir" {
  type        = string
  default     = "output"
  description = "Folder (relative to packer/) that receives one folder per QEMU image."
}
