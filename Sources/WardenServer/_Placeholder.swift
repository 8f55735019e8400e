// placeholder; removed when WardenServer has code
