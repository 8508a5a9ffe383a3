#!/bin/sh
# Regenerates the audit --model fixtures of TestAuditModelFixtures
# (cmd/candor/burden_test.go). They were made by the in-memory
# `audit --model` of commit 2751458 (before it streamed), from German credit
# (examples/datasets/german_credit.csv.gz, Hofmann 1994, UCI) and, for
# german_bad, the same rows with the cells burden_test.go's badGerman edits.
# scorecard.json was fitted by that commit's
#   candor fit --data german.csv --target creditability --event bad --model scorecard \
#     --protected personal_status_and_sex,age_in_years,foreign_worker
# Usage: sh make.sh CANDOR_BINARY GERMAN_CSV GERMAN_BAD_CSV
set -e
c=$1 g=$2 b=$3
common="--label creditability --favorable good --model scorecard.json --actions actions.json"
$c audit --data "$g" $common --group personal_status_and_sex,foreign_worker >a.json 2>a.stderr
$c audit --data "$b" $common --group personal_status_and_sex,foreign_worker --threshold 0.4 --max-changes 2 --train "$g" >b.json 2>b.stderr
$c audit --data "$g" $common --group personal_status_and_sex --format text >c.txt 2>c.stderr
$c audit --data "$g" $common --group personal_status_and_sex,foreign_worker --bootstrap 50 --seed 3 >d.json 2>d.stderr
