"""The analysis layer: capaian, serapan and categories (capaian), stated against computed figures
(kualitas), earlier years (riwayat) and the figures' audit trail (audit).

Imports lkj.data and lkj.core."""
