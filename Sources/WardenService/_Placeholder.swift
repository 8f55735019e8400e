// placeholder; removed when WardenService has code
