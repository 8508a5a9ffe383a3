#!/usr/bin/env bash
# Makes the three outside data sets that run.sh expects (README.md here says
# what each is and where it comes from), from git clones of their public
# repositories at the commits named below. Each file's md5 is checked.
#
#   testdata/auc/prepare.sh HCBR_GIT CARD_GIT CHURN_GIT OUT_DIR
#
# HCBR_GIT:  a clone of github.com/aquemy/HCBR
# CARD_GIT:  a clone of github.com/premnand/Credit-Card-Default-Prediction
# CHURN_GIT: a clone of github.com/AleksanderWaligora/bank_churn_classification
# (a bare clone or a working one: files are read with git show).
set -euo pipefail
hcbr=$1 card=$2 churn=$3 out=$4
mkdir -p "$out"

{
	echo "RiskPerformance,ExternalRiskEstimate,MSinceOldestTradeOpen,MSinceMostRecentTradeOpen,AverageMInFile,NumSatisfactoryTrades,NumTrades60Ever2DerogPubRec,NumTrades90Ever2DerogPubRec,PercentTradesNeverDelq,MSinceMostRecentDelq,MaxDelq2PublicRecLast12M,MaxDelqEver,NumTotalTrades,NumTradesOpeninLast12M,PercentInstallTrades,MSinceMostRecentInqexcl7days,NumInqLast6M,NumInqLast6Mexcl7days,NetFractionRevolvingBurden,NetFractionInstallBurden,NumRevolvingTradesWBalance,NumInstallTradesWBalance,NumBank2NatlTradesWHighUtilization,PercentTradesWBalance"
	git -C "$hcbr" show bc61cf0ca0629119c8d29b146890873f92a46835:data/heloc_dataset_v1.csv |
		awk '{ $1 = ($1 == 1 ? "Bad" : "Good"); OFS = ","; $1 = $1; print }'
} > "$out/heloc.csv"

git -C "$card" show 933b971631ea700a6117f5d4ceee1345225673bf:Credit_Card_Defaulter_Prediction.csv |
	sed '1s/^\xEF\xBB\xBF//; 1s/ *\r\{0,1\}$//' > "$out/uci_credit_card.csv"

git -C "$churn" show 8e2a2424376f401fb3e24f09bb00bb002a26b678:Churn_Modelling.csv |
	awk -F, '{sub(/\r$/,"")} NR==1 {print; next} { ok = ($4 ~ /^[0-9]+$/ && ($14=="0" || $14=="1") && NF==14); for(i=4;i<=14;i++) if ($i=="") ok=0; if (ok) print }' |
	awk -F, 'NR==1 {print; next} { ok = 1; for (i = 4; i <= 14; i++) if (i != 5 && i != 6 && $i !~ /^[0-9]+(\.[0-9]+)?$/) ok = 0; if (ok) print }' > "$out/churn_modelling.csv"

cd "$out"
md5sum -c <<'SUMS'
be259e9542504592eb3118ba133c81ec  heloc.csv
31f11aa6d7ee5afec2d0378cedc9d291  uci_credit_card.csv
880069130ca051d48f7a04919cdb5369  churn_modelling.csv
SUMS
