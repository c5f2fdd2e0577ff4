# An existing VPC and subnet, read through data sources: the plan builds
# a bastion host and its security group in them.  A second group lives in
# a VPC known only by its id, given as a variable.

data "aws_vpc" "shared" {
  tags = {
    Name = "shared"
  }
}

data "aws_subnet" "app" {
  vpc_id            = data.aws_vpc.shared.id
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "ssh" {
  name        = "ssh"
  description = "SSH from anywhere"
  vpc_id      = data.aws_vpc.shared.id

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  subnet_id                   = data.aws_subnet.app.id
  vpc_security_group_ids      = [aws_security_group.ssh.id]
  associate_public_ip_address = true
}

resource "aws_security_group" "legacy" {
  name   = "legacy"
  vpc_id = var.legacy_vpc_id

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

variable "legacy_vpc_id" {
  type = string
}
