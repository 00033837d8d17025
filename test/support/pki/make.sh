#!/bin/sh
# Makes the test PKI: a root CA and an intermediate CA (their keys are dropped), a server certificate
# they issue (valid for a century) with its key, an unrelated key, an expired self-signed certificate
# with its key, and an SSH public key (OpenSSH and PEM) with its MD5 fingerprint as ssh-keygen prints it.
# Test material only: none of these keys protects anything. Run from this folder (openssl 3 and ssh-keygen); the tests read the files it writes.
set -eu
rm -rf ca && mkdir ca && touch ca/index.txt
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout root-ca.key -out root-ca.pem -days $days -subj '/CN=Gatehouse Test Root CA' \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign
openssl req -newkey rsa:2048 -nodes -keyout intermediate.key -out intermediate.csr -subj '/CN=Gatehouse Test Intermediate CA'
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca.ext
openssl x509 -req -in intermediate.csr -CA root-ca.pem -CAkey root-ca.key -CAcreateserial -out intermediate.pem -days $days -extfile ca.ext
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=www.example.com'
openssl x509 -req -in server.csr -CA intermediate.pem -CAkey intermediate.key -CAcreateserial -out server.pem -days $days
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key
# An expired certificate: openssl ca takes explicit dates.
cat > ca/ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = ca/index.txt
new_certs_dir = ca
serial = ca/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
CNF
echo 01 > ca/serial
openssl req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj '/CN=expired.example.com'
openssl ca -batch -config ca/ca.cnf -selfsign -keyfile expired.key -in expired.csr -out expired.full.pem -startdate 20190101000000Z -enddate 20200101000000Z
openssl x509 -in expired.full.pem -out expired.pem
rm -f ssh.key ssh.key.pub
ssh-keygen -q -t rsa -b 2048 -N '' -C 'test@gatehouse' -f ssh.key
ssh-keygen -l -E md5 -f ssh.key.pub | awk '{print $2}' | sed 's/^MD5://' > ssh.md5
ssh-keygen -e -m PKCS8 -f ssh.key.pub > ssh.pub.pem
rm -rf ca ca.ext ./*.csr ./*.srl expired.full.pem ssh.key root-ca.key intermediate.key
